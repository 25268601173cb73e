CREATE TABLE "task_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"checkpoint" integer NOT NULL,
	"place_id" uuid NOT NULL,
	"item_id" text NOT NULL,
	"kind" text NOT NULL,
	"num" double precision,
	"unit" text,
	"bool" boolean,
	"text" text,
	"list" jsonb,
	"finding" boolean DEFAULT false NOT NULL,
	"finding_item_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"staff_id" uuid
);
--> statement-breakpoint
CREATE TABLE "task_checkpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"checkpoint" integer NOT NULL,
	"place_id" uuid NOT NULL,
	"state" text NOT NULL,
	"at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	"staff_id" uuid,
	"proof" text,
	"reason" text,
	"out_of_order" boolean DEFAULT false NOT NULL,
	"late" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "task_id" uuid;--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "task_checkpoint" integer;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "started_by" uuid;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "finished_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "finished_by" uuid;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "late_notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "task_answers" ADD CONSTRAINT "task_answers_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_answers" ADD CONSTRAINT "task_answers_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_answers" ADD CONSTRAINT "task_answers_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_answers" ADD CONSTRAINT "task_answers_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_answers" ADD CONSTRAINT "task_answers_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_checkpoints" ADD CONSTRAINT "task_checkpoints_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_checkpoints" ADD CONSTRAINT "task_checkpoints_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_checkpoints" ADD CONSTRAINT "task_checkpoints_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_checkpoints" ADD CONSTRAINT "task_checkpoints_place_id_places_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_checkpoints" ADD CONSTRAINT "task_checkpoints_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "task_answers_task_item_uq" ON "task_answers" USING btree ("task_id","checkpoint","item_id");--> statement-breakpoint
CREATE INDEX "task_answers_plan_at_idx" ON "task_answers" USING btree ("plan_id","at");--> statement-breakpoint
CREATE INDEX "task_answers_place_item_at_idx" ON "task_answers" USING btree ("place_id","item_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "task_checkpoints_task_cp_uq" ON "task_checkpoints" USING btree ("task_id","checkpoint");--> statement-breakpoint
CREATE INDEX "task_checkpoints_place_at_idx" ON "task_checkpoints" USING btree ("place_id","at");--> statement-breakpoint
CREATE INDEX "task_checkpoints_plan_at_idx" ON "task_checkpoints" USING btree ("plan_id","at");--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_started_by_staff_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_finished_by_staff_id_fk" FOREIGN KEY ("finished_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "work_items_task_idx" ON "work_items" USING btree ("task_id") WHERE "work_items"."task_id" is not null;--> statement-breakpoint
CREATE INDEX "tasks_open_late_idx" ON "tasks" USING btree ("late_at") WHERE "tasks"."state" in ('scheduled', 'in_progress');