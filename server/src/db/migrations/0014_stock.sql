CREATE TABLE "stock_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"category" text NOT NULL,
	"unit" text NOT NULL,
	"unit_en" text,
	"unit_cost_fen" integer DEFAULT 0 NOT NULL,
	"min_level_milli" bigint DEFAULT 0 NOT NULL,
	"lead_time_days" integer DEFAULT 7 NOT NULL,
	"safety_stock_days" integer DEFAULT 7 NOT NULL,
	"pack_size_milli" bigint DEFAULT 1000 NOT NULL,
	"location" text,
	"allow_negative" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_items_numbers" CHECK ("stock_items"."unit_cost_fen" >= 0 and "stock_items"."min_level_milli" >= 0 and "stock_items"."lead_time_days" >= 0 and "stock_items"."safety_stock_days" >= 0 and "stock_items"."pack_size_milli" > 0)
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "stock_movements_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"site_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"qty_milli" bigint NOT NULL,
	"delta_milli" bigint NOT NULL,
	"value_delta_fen" bigint DEFAULT 0 NOT NULL,
	"cost_fen" bigint DEFAULT 0 NOT NULL,
	"unit_cost_fen" integer,
	"supplier" text,
	"target_kind" text,
	"target_id" uuid,
	"reason" text,
	"person_id" uuid,
	"due_back" date,
	"checkout_id" uuid,
	"note" text,
	"actor_id" uuid,
	"actor_name" text,
	CONSTRAINT "stock_movements_kind" CHECK ("stock_movements"."kind" in ('receive', 'issue', 'return', 'adjust', 'stocktake', 'tool_checkout', 'tool_return'))
);
--> statement-breakpoint
CREATE TABLE "stock_settings" (
	"site_id" uuid PRIMARY KEY NOT NULL,
	"labour_rate_fen_per_hour" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_settings_rate" CHECK ("stock_settings"."labour_rate_fen_per_hour" >= 0)
);
--> statement-breakpoint
ALTER TABLE "stock_items" ADD CONSTRAINT "stock_items_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_item_id_stock_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."stock_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_person_id_staff_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_checkout_id_stock_movements_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."stock_movements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_actor_id_accounts_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_settings" ADD CONSTRAINT "stock_settings_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "stock_items_site_code_uq" ON "stock_items" USING btree ("site_id","code");--> statement-breakpoint
CREATE INDEX "stock_items_site_category_idx" ON "stock_items" USING btree ("site_id","category");--> statement-breakpoint
CREATE INDEX "stock_movements_item_idx" ON "stock_movements" USING btree ("item_id","seq","delta_milli");--> statement-breakpoint
CREATE INDEX "stock_movements_target_idx" ON "stock_movements" USING btree ("target_kind","target_id") WHERE "stock_movements"."target_id" is not null;--> statement-breakpoint
CREATE INDEX "stock_movements_site_kind_at_idx" ON "stock_movements" USING btree ("site_id","kind","at");--> statement-breakpoint
CREATE INDEX "stock_movements_checkout_idx" ON "stock_movements" USING btree ("checkout_id") WHERE "stock_movements"."checkout_id" is not null;--> statement-breakpoint
-- The stock ledger is append-only (RP-9, DESIGN §2 "Ledgers and logs"): balances are sums over it,
-- so an edited or deleted row would silently change every balance and cost after it. A trigger
-- rather than REVOKE, because the app connects as the owner of its tables (embedded PostgreSQL),
-- and an owner can always grant itself back what was revoked; a trigger refuses every role.
-- Corrections are new movements (an adjustment with a reason, a stocktake).
CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stock_movements is append-only: post a correcting movement instead';
END $$;
--> statement-breakpoint
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE OR DELETE ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only();
--> statement-breakpoint
CREATE TRIGGER stock_movements_no_truncate BEFORE TRUNCATE ON stock_movements
  FOR EACH STATEMENT EXECUTE FUNCTION stock_movements_append_only();
