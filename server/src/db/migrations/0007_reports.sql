CREATE TABLE "quality_spot_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"result" text NOT NULL,
	"note" text,
	"proposed_week" text,
	"checked_by" uuid,
	"checked_by_name" text NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"rectification_item_id" uuid
);
--> statement-breakpoint
ALTER TABLE "quality_spot_checks" ADD CONSTRAINT "quality_spot_checks_item_id_work_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."work_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_spot_checks" ADD CONSTRAINT "quality_spot_checks_checked_by_accounts_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "quality_spot_checks_item_uq" ON "quality_spot_checks" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "quality_spot_checks_site_idx" ON "quality_spot_checks" USING btree ("site_id","checked_at");