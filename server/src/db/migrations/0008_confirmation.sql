ALTER TABLE "work_items" ADD COLUMN "confirmation_code" text DEFAULT lpad(floor(random() * 10000)::int::text, 4, '0');--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "confirmed_by" text;--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "confirmation_reason" text;