CREATE TABLE "revisits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"state" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"channel" text,
	"reached" boolean,
	"satisfied" boolean,
	"comment" text,
	"follow_up" text,
	"follow_up_item_id" uuid,
	"done_by" uuid,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "related_item_id" uuid;--> statement-breakpoint
ALTER TABLE "revisits" ADD CONSTRAINT "revisits_item_id_work_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."work_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "revisits_item_idx" ON "revisits" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "revisits_pending_idx" ON "revisits" USING btree ("site_id","state","created_at");