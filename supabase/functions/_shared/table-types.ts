// The row types of the public schema's tables, by table name, over the generated Database.
// `supabase gen types` also emits Tables/TablesInsert/TablesUpdate/Enums/CompositeTypes, each
// the same conditional type spelled out again for every kind of row and for schemas we do
// not generate; scripts/lib/types.mjs keeps only its Json, Database and Constants, and the
// few helpers the functions use are written here once, for the one schema we expose.
import type { Database } from "./database.types.ts";

type PublicTables = Database["public"]["Tables"];
type PublicTablesAndViews = PublicTables & Database["public"]["Views"];

/** A row of a table or view as it is read: `Tables<"jobs">`. */
export type Tables<Name extends keyof PublicTablesAndViews> = PublicTablesAndViews[Name]["Row"];

/** What an insert into a table may send: `TablesInsert<"ai_events">`. */
export type TablesInsert<Name extends keyof PublicTables> = PublicTables[Name]["Insert"];

/** What an update of a table may send: `TablesUpdate<"jobs">`. */
export type TablesUpdate<Name extends keyof PublicTables> = PublicTables[Name]["Update"];
