export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  public: {
    Tables: {
      ai_events: {
        Row: {
          created_at: string
          error: string | null
          id: string
          input_tokens: number | null
          latency_ms: number | null
          model: string
          output_tokens: number | null
          provider: string
          status: string
          user_id: string
          wizard_session_id: string | null
        }
        Insert: {
          created_at?: string
          error?: string | null
          id?: string
          input_tokens?: number | null
          latency_ms?: number | null
          model: string
          output_tokens?: number | null
          provider: string
          status: string
          user_id?: string
          wizard_session_id?: string | null
        }
        Update: {
          created_at?: string
          error?: string | null
          id?: string
          input_tokens?: number | null
          latency_ms?: number | null
          model?: string
          output_tokens?: number | null
          provider?: string
          status?: string
          user_id?: string
          wizard_session_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "ai_events_wizard_session_id_fkey"
            columns: ["wizard_session_id"]
            isOneToOne: false
            referencedRelation: "wizard_sessions"
            referencedColumns: ["id"]
          },
        ]
      }
      ai_usage_daily: {
        Row: {
          calls: number
          day: string
          errors: number
          input_tokens: number
          latency_p50_ms: number | null
          latency_p95_ms: number | null
          model: string
          output_tokens: number
          provider: string
          rolled_up_at: string
          user_id: string
        }
        Insert: {
          calls: number
          day: string
          errors: number
          input_tokens: number
          latency_p50_ms?: number | null
          latency_p95_ms?: number | null
          model: string
          output_tokens: number
          provider: string
          rolled_up_at?: string
          user_id?: string
        }
        Update: {
          calls?: number
          day?: string
          errors?: number
          input_tokens?: number
          latency_p50_ms?: number | null
          latency_p95_ms?: number | null
          model?: string
          output_tokens?: number
          provider?: string
          rolled_up_at?: string
          user_id?: string
        }
        Relationships: []
      }
      cover_letters: {
        Row: {
          content: string
          created_at: string
          generated_resume_id: string | null
          id: string
          job_id: string
          model: string | null
          resume_version: number | null
          updated_at: string
          user_id: string
          word_count: number
        }
        Insert: {
          content: string
          created_at?: string
          generated_resume_id?: string | null
          id?: string
          job_id: string
          model?: string | null
          resume_version?: number | null
          updated_at?: string
          user_id?: string
          word_count?: number
        }
        Update: {
          content?: string
          created_at?: string
          generated_resume_id?: string | null
          id?: string
          job_id?: string
          model?: string | null
          resume_version?: number | null
          updated_at?: string
          user_id?: string
          word_count?: number
        }
        Relationships: [
          {
            foreignKeyName: "cover_letters_generated_resume_id_fkey"
            columns: ["generated_resume_id"]
            isOneToOne: false
            referencedRelation: "generated_resumes"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "cover_letters_job_id_fkey"
            columns: ["job_id"]
            isOneToOne: false
            referencedRelation: "jobs"
            referencedColumns: ["id"]
          },
        ]
      }
      generated_resume_versions: {
        Row: {
          content_json: NonNullable<Json>
          created_at: string | null
          generated_resume_id: string
          id: string
          render_artifact_url: string | null
          version_number: number
        }
        Insert: {
          content_json: NonNullable<Json>
          created_at?: string | null
          generated_resume_id: string
          id?: string
          render_artifact_url?: string | null
          version_number: number
        }
        Update: {
          content_json?: NonNullable<Json>
          created_at?: string | null
          generated_resume_id?: string
          id?: string
          render_artifact_url?: string | null
          version_number?: number
        }
        Relationships: [
          {
            foreignKeyName: "generated_resume_versions_generated_resume_id_fkey"
            columns: ["generated_resume_id"]
            isOneToOne: false
            referencedRelation: "generated_resumes"
            referencedColumns: ["id"]
          },
        ]
      }
      generated_resumes: {
        Row: {
          created_at: string | null
          current_version: number | null
          id: string
          share_created_at: string | null
          share_expires_at: string | null
          share_token: string | null
          share_view_count: number
          template_id: string
          title: string | null
          updated_at: string | null
          user_id: string
        }
        Insert: {
          created_at?: string | null
          current_version?: number | null
          id?: string
          share_created_at?: string | null
          share_expires_at?: string | null
          share_token?: string | null
          share_view_count?: number
          template_id: string
          title?: string | null
          updated_at?: string | null
          user_id?: string
        }
        Update: {
          created_at?: string | null
          current_version?: number | null
          id?: string
          share_created_at?: string | null
          share_expires_at?: string | null
          share_token?: string | null
          share_view_count?: number
          template_id?: string
          title?: string | null
          updated_at?: string | null
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "generated_resumes_template_id_fkey"
            columns: ["template_id"]
            isOneToOne: false
            referencedRelation: "templates"
            referencedColumns: ["id"]
          },
        ]
      }
      job_search_documents: {
        Row: {
          document: unknown
          job_id: string
          title_company: string
          user_id: string
        }
        Insert: {
          document: unknown
          job_id: string
          title_company: string
          user_id?: string
        }
        Update: {
          document?: unknown
          job_id?: string
          title_company?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "job_search_documents_job_id_fkey"
            columns: ["job_id"]
            isOneToOne: true
            referencedRelation: "jobs"
            referencedColumns: ["id"]
          },
        ]
      }
      job_status_events: {
        Row: {
          changed_at: string
          from_status: string | null
          id: string
          job_id: string
          to_status: string
          user_id: string
        }
        Insert: {
          changed_at?: string
          from_status?: string | null
          id?: string
          job_id: string
          to_status: string
          user_id?: string
        }
        Update: {
          changed_at?: string
          from_status?: string | null
          id?: string
          job_id?: string
          to_status?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "job_status_events_job_id_fkey"
            columns: ["job_id"]
            isOneToOne: false
            referencedRelation: "jobs"
            referencedColumns: ["id"]
          },
        ]
      }
      jobs: {
        Row: {
          company: string
          created_at: string | null
          date_applied: string | null
          deadline: string | null
          description: string | null
          excitement_level: number | null
          id: string
          job_title: string
          job_url: string | null
          location: string | null
          salary: string | null
          status: string
          updated_at: string | null
          user_id: string
        }
        Insert: {
          company: string
          created_at?: string | null
          date_applied?: string | null
          deadline?: string | null
          description?: string | null
          excitement_level?: number | null
          id?: string
          job_title: string
          job_url?: string | null
          location?: string | null
          salary?: string | null
          status?: string
          updated_at?: string | null
          user_id?: string
        }
        Update: {
          company?: string
          created_at?: string | null
          date_applied?: string | null
          deadline?: string | null
          description?: string | null
          excitement_level?: number | null
          id?: string
          job_title?: string
          job_url?: string | null
          location?: string | null
          salary?: string | null
          status?: string
          updated_at?: string | null
          user_id?: string
        }
        Relationships: []
      }
      resume_builder_data: {
        Row: {
          created_at: string | null
          id: string
          is_current: boolean | null
          resume_data: NonNullable<Json>
          template_id: string
          title: string | null
          updated_at: string | null
          user_id: string
        }
        Insert: {
          created_at?: string | null
          id?: string
          is_current?: boolean | null
          resume_data: NonNullable<Json>
          template_id: string
          title?: string | null
          updated_at?: string | null
          user_id?: string
        }
        Update: {
          created_at?: string | null
          id?: string
          is_current?: boolean | null
          resume_data?: NonNullable<Json>
          template_id?: string
          title?: string | null
          updated_at?: string | null
          user_id?: string
        }
        Relationships: []
      }
      resumes: {
        Row: {
          created_at: string | null
          file_size: number
          file_url: string
          filename: string
          id: string
          is_default: boolean | null
          updated_at: string | null
          user_id: string
        }
        Insert: {
          created_at?: string | null
          file_size: number
          file_url: string
          filename: string
          id?: string
          is_default?: boolean | null
          updated_at?: string | null
          user_id?: string
        }
        Update: {
          created_at?: string | null
          file_size?: number
          file_url?: string
          filename?: string
          id?: string
          is_default?: boolean | null
          updated_at?: string | null
          user_id?: string
        }
        Relationships: []
      }
      templates: {
        Row: {
          created_at: string | null
          id: string
          is_active: boolean | null
          name: string
          preview_url: string | null
          schema: NonNullable<Json>
          slug: string
          updated_at: string | null
        }
        Insert: {
          created_at?: string | null
          id?: string
          is_active?: boolean | null
          name: string
          preview_url?: string | null
          schema: NonNullable<Json>
          slug: string
          updated_at?: string | null
        }
        Update: {
          created_at?: string | null
          id?: string
          is_active?: boolean | null
          name?: string
          preview_url?: string | null
          schema?: NonNullable<Json>
          slug?: string
          updated_at?: string | null
        }
        Relationships: []
      }
      user_education: {
        Row: {
          created_at: string | null
          degree: string | null
          end_date: string | null
          field: string | null
          id: string
          school: string
          start_date: string | null
          updated_at: string | null
          user_id: string
        }
        Insert: {
          created_at?: string | null
          degree?: string | null
          end_date?: string | null
          field?: string | null
          id?: string
          school: string
          start_date?: string | null
          updated_at?: string | null
          user_id?: string
        }
        Update: {
          created_at?: string | null
          degree?: string | null
          end_date?: string | null
          field?: string | null
          id?: string
          school?: string
          start_date?: string | null
          updated_at?: string | null
          user_id?: string
        }
        Relationships: []
      }
      user_languages: {
        Row: {
          created_at: string
          id: string
          language: string
          proficiency: string | null
          updated_at: string
          user_id: string
        }
        Insert: {
          created_at?: string
          id?: string
          language: string
          proficiency?: string | null
          updated_at?: string
          user_id?: string
        }
        Update: {
          created_at?: string
          id?: string
          language?: string
          proficiency?: string | null
          updated_at?: string
          user_id?: string
        }
        Relationships: []
      }
      user_profile: {
        Row: {
          created_at: string | null
          first_name: string | null
          full_name: string
          id: string
          job_title: string | null
          last_name: string | null
          location: string | null
          phone: string | null
          professional_summary: string | null
          profile_picture_url: string | null
          social_links: NonNullable<Json>
          updated_at: string | null
          user_id: string
        }
        Insert: {
          created_at?: string | null
          first_name?: string | null
          full_name: string
          id?: string
          job_title?: string | null
          last_name?: string | null
          location?: string | null
          phone?: string | null
          professional_summary?: string | null
          profile_picture_url?: string | null
          social_links?: NonNullable<Json>
          updated_at?: string | null
          user_id?: string
        }
        Update: {
          created_at?: string | null
          first_name?: string | null
          full_name?: string
          id?: string
          job_title?: string | null
          last_name?: string | null
          location?: string | null
          phone?: string | null
          professional_summary?: string | null
          profile_picture_url?: string | null
          social_links?: NonNullable<Json>
          updated_at?: string | null
          user_id?: string
        }
        Relationships: []
      }
      user_skills: {
        Row: {
          category: string | null
          created_at: string | null
          id: string
          name: string
          proficiency: string | null
          updated_at: string | null
          user_id: string
        }
        Insert: {
          category?: string | null
          created_at?: string | null
          id?: string
          name: string
          proficiency?: string | null
          updated_at?: string | null
          user_id?: string
        }
        Update: {
          category?: string | null
          created_at?: string | null
          id?: string
          name?: string
          proficiency?: string | null
          updated_at?: string | null
          user_id?: string
        }
        Relationships: []
      }
      user_work_experience: {
        Row: {
          company: string
          created_at: string | null
          description: string | null
          end_date: string | null
          id: string
          is_current: boolean | null
          location: string | null
          start_date: string | null
          title: string
          updated_at: string | null
          user_id: string
        }
        Insert: {
          company: string
          created_at?: string | null
          description?: string | null
          end_date?: string | null
          id?: string
          is_current?: boolean | null
          location?: string | null
          start_date?: string | null
          title: string
          updated_at?: string | null
          user_id?: string
        }
        Update: {
          company?: string
          created_at?: string | null
          description?: string | null
          end_date?: string | null
          id?: string
          is_current?: boolean | null
          location?: string | null
          start_date?: string | null
          title?: string
          updated_at?: string | null
          user_id?: string
        }
        Relationships: []
      }
      wizard_sessions: {
        Row: {
          created_at: string | null
          draft_json: Json | null
          generated_resume_id: string | null
          id: string
          last_step: number | null
          progress: Json | null
          status: string
          template_id: string
          updated_at: string | null
          user_id: string
        }
        Insert: {
          created_at?: string | null
          draft_json?: Json | null
          generated_resume_id?: string | null
          id?: string
          last_step?: number | null
          progress?: Json | null
          status?: string
          template_id: string
          updated_at?: string | null
          user_id?: string
        }
        Update: {
          created_at?: string | null
          draft_json?: Json | null
          generated_resume_id?: string | null
          id?: string
          last_step?: number | null
          progress?: Json | null
          status?: string
          template_id?: string
          updated_at?: string | null
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "wizard_sessions_generated_resume_id_fkey"
            columns: ["generated_resume_id"]
            isOneToOne: false
            referencedRelation: "generated_resumes"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "wizard_sessions_template_id_fkey"
            columns: ["template_id"]
            isOneToOne: false
            referencedRelation: "templates"
            referencedColumns: ["id"]
          },
        ]
      }
    }
    Views: {
      [_ in never]: never
    }
    Functions: {
      abandon_wizard_session: {
        Args: { id: string }
        Returns: {
          created_at: string | null
          draft_json: Json | null
          generated_resume_id: string | null
          id: string
          last_step: number | null
          progress: Json | null
          status: string
          template_id: string
          updated_at: string | null
          user_id: string
        }
        SetofOptions: {
          from: "*"
          to: "wizard_sessions"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      complete_wizard_session: {
        Args: { id: string }
        Returns: {
          created_at: string | null
          current_version: number | null
          id: string
          share_created_at: string | null
          share_expires_at: string | null
          share_token: string | null
          share_view_count: number
          template_id: string
          title: string | null
          updated_at: string | null
          user_id: string
        }
        SetofOptions: {
          from: "*"
          to: "generated_resumes"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      create_share_link: {
        Args: { expires_at?: string; generated_resume_id: string }
        Returns: string
      }
      export_my_data: { Args: Record<PropertyKey, never>; Returns: Json }
      get_public_generated_resume: {
        Args: { share_token: string }
        Returns: Json
      }
      job_dashboard: { Args: { tz?: string }; Returns: Json }
      merge_imported_profile: { Args: { profile: Json }; Returns: Json }
      record_render_artifact: {
        Args: {
          generated_resume_id: string
          object_path: string
          version_number: number
        }
        Returns: {
          content_json: NonNullable<Json>
          created_at: string | null
          generated_resume_id: string
          id: string
          render_artifact_url: string | null
          version_number: number
        }
        SetofOptions: {
          from: "*"
          to: "generated_resume_versions"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      revoke_share_link: {
        Args: { generated_resume_id: string }
        Returns: undefined
      }
      save_generated_resume_version: {
        Args: { content: Json; generated_resume_id: string }
        Returns: {
          content_json: NonNullable<Json>
          created_at: string | null
          generated_resume_id: string
          id: string
          render_artifact_url: string | null
          version_number: number
        }
        SetofOptions: {
          from: "*"
          to: "generated_resume_versions"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      search_jobs: {
        Args: {
          page_size?: number
          page_token?: string
          query: string
          statuses?: string[]
        }
        Returns: Json
      }
      set_current_resume_builder: {
        Args: { id: string }
        Returns: {
          created_at: string | null
          id: string
          is_current: boolean | null
          resume_data: NonNullable<Json>
          template_id: string
          title: string | null
          updated_at: string | null
          user_id: string
        }
        SetofOptions: {
          from: "*"
          to: "resume_builder_data"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      set_default_resume: {
        Args: { resume_id: string }
        Returns: {
          created_at: string | null
          file_size: number
          file_url: string
          filename: string
          id: string
          is_default: boolean | null
          updated_at: string | null
          user_id: string
        }
        SetofOptions: {
          from: "*"
          to: "resumes"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      start_wizard_session: {
        Args: { prefill?: boolean; template: string }
        Returns: {
          created_at: string | null
          draft_json: Json | null
          generated_resume_id: string | null
          id: string
          last_step: number | null
          progress: Json | null
          status: string
          template_id: string
          updated_at: string | null
          user_id: string
        }
        SetofOptions: {
          from: "*"
          to: "wizard_sessions"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      update_wizard_session: {
        Args: {
          draft_patch?: Json
          id: string
          last_step?: number
          progress_patch?: Json
        }
        Returns: {
          created_at: string | null
          draft_json: Json | null
          generated_resume_id: string | null
          id: string
          last_step: number | null
          progress: Json | null
          status: string
          template_id: string
          updated_at: string | null
          user_id: string
        }
        SetofOptions: {
          from: "*"
          to: "wizard_sessions"
          isOneToOne: true
          isSetofReturn: false
        }
      }
    }
    Enums: {
      [_ in never]: never
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}

type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] &
        DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] &
        DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R
      }
      ? R
      : never
    : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I
      }
      ? I
      : never
    : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U
      }
      ? U
      : never
    : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
    : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
    : never

export const Constants = {
  public: {
    Enums: {},
  },
} as const

