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
      application_form_answers: {
        Row: {
          created_at: string
          current_location: string | null
          date_of_birth: string | null
          ethnicity: string | null
          gender: string | null
          has_disability: string | null
          is_lgbtq: string | null
          is_veteran: string | null
          phone_country_code: string | null
          requires_sponsorship: boolean | null
          updated_at: string
          user_id: string
          work_auth_canada: boolean | null
          work_auth_uk: boolean | null
          work_auth_us: boolean | null
        }
        Insert: {
          created_at?: string
          current_location?: string | null
          date_of_birth?: string | null
          ethnicity?: string | null
          gender?: string | null
          has_disability?: string | null
          is_lgbtq?: string | null
          is_veteran?: string | null
          phone_country_code?: string | null
          requires_sponsorship?: boolean | null
          updated_at?: string
          user_id?: string
          work_auth_canada?: boolean | null
          work_auth_uk?: boolean | null
          work_auth_us?: boolean | null
        }
        Update: {
          created_at?: string
          current_location?: string | null
          date_of_birth?: string | null
          ethnicity?: string | null
          gender?: string | null
          has_disability?: string | null
          is_lgbtq?: string | null
          is_veteran?: string | null
          phone_country_code?: string | null
          requires_sponsorship?: boolean | null
          updated_at?: string
          user_id?: string
          work_auth_canada?: boolean | null
          work_auth_uk?: boolean | null
          work_auth_us?: boolean | null
        }
        Relationships: []
      }
      contacts: {
        Row: {
          company: string | null
          created_at: string
          email: string | null
          id: string
          name: string
          notes: string | null
          phone: string | null
          profile_url: string | null
          role: string | null
          updated_at: string
          user_id: string
        }
        Insert: {
          company?: string | null
          created_at?: string
          email?: string | null
          id?: string
          name: string
          notes?: string | null
          phone?: string | null
          profile_url?: string | null
          role?: string | null
          updated_at?: string
          user_id?: string
        }
        Update: {
          company?: string | null
          created_at?: string
          email?: string | null
          id?: string
          name?: string
          notes?: string | null
          phone?: string | null
          profile_url?: string | null
          role?: string | null
          updated_at?: string
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
      email_proposals: {
        Row: {
          closing_reason: string | null
          contact_email: string | null
          contact_name: string | null
          contact_part: string | null
          created_at: string
          decided_at: string | null
          email_kind: string
          id: string
          interview_duration_minutes: number | null
          interview_kind: string | null
          interview_location: string | null
          interview_meeting_url: string | null
          interview_starts_at: string | null
          interview_time_zone: string | null
          job_id: string | null
          model: string | null
          new_job_company: string | null
          new_job_title: string | null
          proposed_status: string | null
          result: Json | null
          state: string
          summary: string
          user_id: string
        }
        Insert: {
          closing_reason?: string | null
          contact_email?: string | null
          contact_name?: string | null
          contact_part?: string | null
          created_at?: string
          decided_at?: string | null
          email_kind: string
          id?: string
          interview_duration_minutes?: number | null
          interview_kind?: string | null
          interview_location?: string | null
          interview_meeting_url?: string | null
          interview_starts_at?: string | null
          interview_time_zone?: string | null
          job_id?: string | null
          model?: string | null
          new_job_company?: string | null
          new_job_title?: string | null
          proposed_status?: string | null
          result?: Json | null
          state?: string
          summary: string
          user_id?: string
        }
        Update: {
          closing_reason?: string | null
          contact_email?: string | null
          contact_name?: string | null
          contact_part?: string | null
          created_at?: string
          decided_at?: string | null
          email_kind?: string
          id?: string
          interview_duration_minutes?: number | null
          interview_kind?: string | null
          interview_location?: string | null
          interview_meeting_url?: string | null
          interview_starts_at?: string | null
          interview_time_zone?: string | null
          job_id?: string | null
          model?: string | null
          new_job_company?: string | null
          new_job_title?: string | null
          proposed_status?: string | null
          result?: Json | null
          state?: string
          summary?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "email_proposals_job_id_fkey"
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
      interview_participants: {
        Row: {
          contact_id: string
          created_at: string
          id: string
          interview_id: string
          user_id: string
        }
        Insert: {
          contact_id: string
          created_at?: string
          id?: string
          interview_id: string
          user_id?: string
        }
        Update: {
          contact_id?: string
          created_at?: string
          id?: string
          interview_id?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "interview_participants_contact_id_fkey"
            columns: ["contact_id"]
            isOneToOne: false
            referencedRelation: "contacts"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "interview_participants_interview_id_fkey"
            columns: ["interview_id"]
            isOneToOne: false
            referencedRelation: "interviews"
            referencedColumns: ["id"]
          },
        ]
      }
      interviews: {
        Row: {
          created_at: string
          duration_minutes: number
          id: string
          job_id: string
          kind: string
          location: string | null
          meeting_url: string | null
          notes: string | null
          outcome: string
          round: number
          sequence: number
          starts_at: string
          time_zone: string
          updated_at: string
          user_id: string
        }
        Insert: {
          created_at?: string
          duration_minutes?: number
          id?: string
          job_id: string
          kind?: string
          location?: string | null
          meeting_url?: string | null
          notes?: string | null
          outcome?: string
          round?: number
          sequence?: number
          starts_at: string
          time_zone: string
          updated_at?: string
          user_id?: string
        }
        Update: {
          created_at?: string
          duration_minutes?: number
          id?: string
          job_id?: string
          kind?: string
          location?: string | null
          meeting_url?: string | null
          notes?: string | null
          outcome?: string
          round?: number
          sequence?: number
          starts_at?: string
          time_zone?: string
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "interviews_job_id_fkey"
            columns: ["job_id"]
            isOneToOne: false
            referencedRelation: "jobs"
            referencedColumns: ["id"]
          },
        ]
      }
      job_contacts: {
        Row: {
          contact_id: string
          created_at: string
          id: string
          job_id: string
          part: string
          user_id: string
        }
        Insert: {
          contact_id: string
          created_at?: string
          id?: string
          job_id: string
          part: string
          user_id?: string
        }
        Update: {
          contact_id?: string
          created_at?: string
          id?: string
          job_id?: string
          part?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "job_contacts_contact_id_fkey"
            columns: ["contact_id"]
            isOneToOne: false
            referencedRelation: "contacts"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "job_contacts_job_id_fkey"
            columns: ["job_id"]
            isOneToOne: false
            referencedRelation: "jobs"
            referencedColumns: ["id"]
          },
        ]
      }
      job_materials: {
        Row: {
          cover_letter_id: string | null
          created_at: string
          frozen_at: string | null
          generated_resume_id: string | null
          job_id: string
          resume_id: string | null
          resume_version: number | null
          sent_cover_letter: string | null
          sent_resume_file_name: string | null
          sent_resume_title: string | null
          updated_at: string
          user_id: string
        }
        Insert: {
          cover_letter_id?: string | null
          created_at?: string
          frozen_at?: string | null
          generated_resume_id?: string | null
          job_id: string
          resume_id?: string | null
          resume_version?: number | null
          sent_cover_letter?: string | null
          sent_resume_file_name?: string | null
          sent_resume_title?: string | null
          updated_at?: string
          user_id?: string
        }
        Update: {
          cover_letter_id?: string | null
          created_at?: string
          frozen_at?: string | null
          generated_resume_id?: string | null
          job_id?: string
          resume_id?: string | null
          resume_version?: number | null
          sent_cover_letter?: string | null
          sent_resume_file_name?: string | null
          sent_resume_title?: string | null
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "job_materials_cover_letter_id_fkey"
            columns: ["cover_letter_id"]
            isOneToOne: false
            referencedRelation: "cover_letters"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "job_materials_generated_resume_id_fkey"
            columns: ["generated_resume_id"]
            isOneToOne: false
            referencedRelation: "generated_resumes"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "job_materials_job_id_fkey"
            columns: ["job_id"]
            isOneToOne: true
            referencedRelation: "jobs"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "job_materials_resume_id_fkey"
            columns: ["resume_id"]
            isOneToOne: false
            referencedRelation: "resumes"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "job_materials_resume_version_exists"
            columns: ["generated_resume_id", "resume_version"]
            isOneToOne: false
            referencedRelation: "generated_resume_versions"
            referencedColumns: ["generated_resume_id", "version_number"]
          },
        ]
      }
      job_search_documents: {
        Row: {
          document: unknown
          job_id: string
          keys: unknown
          rank_document: unknown
          title_company: string
          user_id: string
        }
        Insert: {
          document: unknown
          job_id: string
          keys: unknown
          rank_document: unknown
          title_company: string
          user_id?: string
        }
        Update: {
          document?: unknown
          job_id?: string
          keys?: unknown
          rank_document?: unknown
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
      job_tags: {
        Row: {
          created_at: string
          job_id: string
          tag_id: string
          user_id: string
        }
        Insert: {
          created_at?: string
          job_id: string
          tag_id: string
          user_id?: string
        }
        Update: {
          created_at?: string
          job_id?: string
          tag_id?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "job_tags_job_id_fkey"
            columns: ["job_id"]
            isOneToOne: false
            referencedRelation: "jobs"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "job_tags_tag_id_fkey"
            columns: ["tag_id"]
            isOneToOne: false
            referencedRelation: "tags"
            referencedColumns: ["id"]
          },
        ]
      }
      jobs: {
        Row: {
          closing_reason: string | null
          company: string
          created_at: string | null
          date_applied: string | null
          deadline: string | null
          description: string | null
          excitement_level: number | null
          first_response_at: string | null
          follow_up_at: string | null
          id: string
          job_title: string
          job_url: string | null
          location: string | null
          next_action: string | null
          salary: string | null
          salary_currency: string | null
          salary_max: number | null
          salary_min: number | null
          salary_period: string | null
          source: string | null
          status: string
          updated_at: string | null
          user_id: string
        }
        Insert: {
          closing_reason?: string | null
          company: string
          created_at?: string | null
          date_applied?: string | null
          deadline?: string | null
          description?: string | null
          excitement_level?: number | null
          first_response_at?: string | null
          follow_up_at?: string | null
          id?: string
          job_title: string
          job_url?: string | null
          location?: string | null
          next_action?: string | null
          salary?: string | null
          salary_currency?: string | null
          salary_max?: number | null
          salary_min?: number | null
          salary_period?: string | null
          source?: string | null
          status?: string
          updated_at?: string | null
          user_id?: string
        }
        Update: {
          closing_reason?: string | null
          company?: string
          created_at?: string | null
          date_applied?: string | null
          deadline?: string | null
          description?: string | null
          excitement_level?: number | null
          first_response_at?: string | null
          follow_up_at?: string | null
          id?: string
          job_title?: string
          job_url?: string | null
          location?: string | null
          next_action?: string | null
          salary?: string | null
          salary_currency?: string | null
          salary_max?: number | null
          salary_min?: number | null
          salary_period?: string | null
          source?: string | null
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
      subscriptions: {
        Row: {
          cancel_at_period_end: boolean
          created_at: string
          current_period_end: string | null
          current_period_start: string | null
          id: string
          status: string
          stripe_customer_id: string | null
          stripe_price_id: string | null
          stripe_subscription_id: string | null
          tier: string
          updated_at: string
          user_id: string
        }
        Insert: {
          cancel_at_period_end?: boolean
          created_at?: string
          current_period_end?: string | null
          current_period_start?: string | null
          id?: string
          status?: string
          stripe_customer_id?: string | null
          stripe_price_id?: string | null
          stripe_subscription_id?: string | null
          tier?: string
          updated_at?: string
          user_id?: string
        }
        Update: {
          cancel_at_period_end?: boolean
          created_at?: string
          current_period_end?: string | null
          current_period_start?: string | null
          id?: string
          status?: string
          stripe_customer_id?: string | null
          stripe_price_id?: string | null
          stripe_subscription_id?: string | null
          tier?: string
          updated_at?: string
          user_id?: string
        }
        Relationships: []
      }
      tags: {
        Row: {
          created_at: string
          id: string
          name: string
          user_id: string
        }
        Insert: {
          created_at?: string
          id?: string
          name: string
          user_id?: string
        }
        Update: {
          created_at?: string
          id?: string
          name?: string
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
      tracker_settings: {
        Row: {
          created_at: string
          follow_up_days: number
          ghosted_after_days: number
          time_zone: string
          updated_at: string
          user_id: string
        }
        Insert: {
          created_at?: string
          follow_up_days?: number
          ghosted_after_days?: number
          time_zone?: string
          updated_at?: string
          user_id?: string
        }
        Update: {
          created_at?: string
          follow_up_days?: number
          ghosted_after_days?: number
          time_zone?: string
          updated_at?: string
          user_id?: string
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
          email: string | null
          first_name: string | null
          full_name: string
          id: string
          job_title: string | null
          last_name: string | null
          location: string | null
          phone: string | null
          professional_summary: string | null
          profile_completed: boolean
          profile_picture_url: string | null
          referral_source: string | null
          social_links: NonNullable<Json>
          subscription_tier: string
          updated_at: string | null
          user_id: string
        }
        Insert: {
          created_at?: string | null
          email?: string | null
          first_name?: string | null
          full_name: string
          id?: string
          job_title?: string | null
          last_name?: string | null
          location?: string | null
          phone?: string | null
          professional_summary?: string | null
          profile_completed?: boolean
          profile_picture_url?: string | null
          referral_source?: string | null
          social_links?: NonNullable<Json>
          subscription_tier?: string
          updated_at?: string | null
          user_id?: string
        }
        Update: {
          created_at?: string | null
          email?: string | null
          first_name?: string | null
          full_name?: string
          id?: string
          job_title?: string | null
          last_name?: string | null
          location?: string | null
          phone?: string | null
          professional_summary?: string | null
          profile_completed?: boolean
          profile_picture_url?: string | null
          referral_source?: string | null
          social_links?: NonNullable<Json>
          subscription_tier?: string
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
      application_history: {
        Args: Record<PropertyKey, never>
        Returns: {
          applied_on: string
          closing_reason: string
          company: string
          first_response_at: string
          job_id: string
          job_title: string
          source: string
          stage_history: string
          stages: Json
          status: string
        }[]
      }
      calendar_feed_status: { Args: Record<PropertyKey, never>; Returns: Json }
      complete_follow_up: { Args: { job_id: string }; Returns: undefined }
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
      confirm_email_proposal: { Args: { proposal_id: string }; Returns: Json }
      create_calendar_feed: {
        Args: Record<PropertyKey, never>
        Returns: string
      }
      create_share_link: {
        Args: { expires_at?: string; generated_resume_id: string }
        Returns: string
      }
      dismiss_email_proposal: {
        Args: { proposal_id: string }
        Returns: undefined
      }
      due_follow_ups: {
        Args: { due_by?: string; max_rows?: number }
        Returns: {
          company: string
          days_overdue: number
          follow_up_at: string
          job_id: string
          job_title: string
          next_action: string
          status: string
        }[]
      }
      export_my_data: { Args: Record<PropertyKey, never>; Returns: Json }
      export_my_data_page: { Args: { after?: string }; Returns: Json }
      get_calendar_feed: { Args: { feed_token: string }; Returns: Json }
      get_public_generated_resume: {
        Args: { access?: string; share_token: string }
        Returns: Json
      }
      get_template_layout: { Args: { template_slug: string }; Returns: Json }
      interview_calendar_event: {
        Args: { interview_id: string }
        Returns: Json
      }
      job_dashboard: { Args: { tz?: string }; Returns: Json }
      job_insights: { Args: Record<PropertyKey, never>; Returns: Json }
      mark_job_ghosted: { Args: { job_id: string }; Returns: undefined }
      merge_imported_profile: { Args: { profile: Json }; Returns: Json }
      possibly_ghosted_jobs: {
        Args: Record<PropertyKey, never>
        Returns: {
          applied_at: string
          company: string
          days_waiting: number
          job_id: string
          job_title: string
        }[]
      }
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
      remove_share_link_password: {
        Args: { generated_resume_id: string }
        Returns: undefined
      }
      revoke_calendar_feed: {
        Args: Record<PropertyKey, never>
        Returns: boolean
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
      set_share_link_password: {
        Args: { generated_resume_id: string; password: string }
        Returns: string
      }
      share_link_password_set_at: {
        Args: { generated_resume_id: string }
        Returns: string
      }
      share_link_statistics: {
        Args: { generated_resume_id: string }
        Returns: {
          day: string
          jsonresume_downloads: number
          pdf_downloads: number
          views: number
        }[]
      }
      snooze_follow_up: {
        Args: { job_id: string; until: string }
        Returns: string
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
      unlock_share_link: {
        Args: { password: string; share_token: string }
        Returns: Json
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

// Tables, TablesInsert and TablesUpdate: _shared/table-types.ts (npm run gen:types leaves out the generator's own).

export const Constants = {
  public: {
    Enums: {},
  },
} as const

