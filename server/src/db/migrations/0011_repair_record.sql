ALTER TABLE "work_items" ADD COLUMN "materials" text;--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "labour_minutes" integer;