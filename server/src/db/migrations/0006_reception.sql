CREATE TABLE "integration_signatures" (
	"integration_id" uuid NOT NULL,
	"signature" text NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "integration_signatures_integration_id_signature_pk" PRIMARY KEY("integration_id","signature")
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"secret" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"secret_rotated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "phone_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"integration_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"caller" text NOT NULL,
	"callee" text,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"recording_url" text,
	"reception_id" uuid,
	"received_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"occupant_id" uuid,
	"company_id" uuid,
	"unit_id" uuid,
	"contact_name" text,
	"contact_phone" text,
	"topic" text NOT NULL,
	"summary" text NOT NULL,
	"action_taken" text,
	"result" text,
	"agent_account_id" uuid NOT NULL,
	"work_item_ids" uuid[] DEFAULT '{}' NOT NULL,
	"call_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "integration_signatures" ADD CONSTRAINT "integration_signatures_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrations" ADD CONSTRAINT "integrations_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_calls" ADD CONSTRAINT "phone_calls_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_calls" ADD CONSTRAINT "phone_calls_integration_id_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."integrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phone_calls" ADD CONSTRAINT "phone_calls_reception_id_receptions_id_fk" FOREIGN KEY ("reception_id") REFERENCES "public"."receptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receptions" ADD CONSTRAINT "receptions_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receptions" ADD CONSTRAINT "receptions_occupant_id_occupants_id_fk" FOREIGN KEY ("occupant_id") REFERENCES "public"."occupants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receptions" ADD CONSTRAINT "receptions_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receptions" ADD CONSTRAINT "receptions_unit_id_places_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receptions" ADD CONSTRAINT "receptions_agent_account_id_accounts_id_fk" FOREIGN KEY ("agent_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receptions" ADD CONSTRAINT "receptions_call_id_phone_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."phone_calls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "integration_signatures_seen_idx" ON "integration_signatures" USING btree ("seen_at");--> statement-breakpoint
CREATE UNIQUE INDEX "integrations_site_name_uq" ON "integrations" USING btree ("site_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "phone_calls_integration_external_uq" ON "phone_calls" USING btree ("integration_id","external_id");--> statement-breakpoint
CREATE INDEX "phone_calls_site_started_idx" ON "phone_calls" USING btree ("site_id","started_at");--> statement-breakpoint
CREATE INDEX "receptions_site_at_idx" ON "receptions" USING btree ("site_id","at");--> statement-breakpoint
CREATE INDEX "receptions_company_idx" ON "receptions" USING btree ("site_id","company_id","at");--> statement-breakpoint
CREATE INDEX "receptions_occupant_idx" ON "receptions" USING btree ("site_id","occupant_id","at");--> statement-breakpoint
CREATE INDEX "receptions_work_items_idx" ON "receptions" USING gin ("work_item_ids");--> statement-breakpoint
CREATE UNIQUE INDEX "receptions_call_uq" ON "receptions" USING btree ("call_id");