CREATE TYPE "public"."lead_forward_status" AS ENUM('pending', 'forwarded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."reward_event_kind" AS ENUM('added', 'claimed');--> statement-breakpoint
CREATE TABLE "leads" (
	"id" serial PRIMARY KEY NOT NULL,
	"table_name" varchar(32) NOT NULL,
	"email" varchar(320) NOT NULL,
	"fields" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"forward_status" "lead_forward_status" DEFAULT 'pending' NOT NULL,
	"forward_attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"airtable_record_id" varchar(64),
	"slack_notified_at" timestamp with time zone,
	"forwarded_at" timestamp with time zone,
	CONSTRAINT "leads_table_email_unique" UNIQUE("table_name","email")
);
--> statement-breakpoint
CREATE TABLE "reward_banks" (
	"bank" "bytea" PRIMARY KEY NOT NULL,
	"product_id" "bytea" NOT NULL,
	"token" "bytea" NOT NULL,
	"block_number" bigint NOT NULL,
	"tx_hash" "bytea" NOT NULL,
	"log_index" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reward_campaign_events" (
	"tx_hash" "bytea" NOT NULL,
	"log_index" integer NOT NULL,
	"bank" "bytea" NOT NULL,
	"campaign" "bytea" NOT NULL,
	"allowed" boolean NOT NULL,
	"block_number" bigint NOT NULL,
	CONSTRAINT "reward_campaign_events_tx_hash_log_index_pk" PRIMARY KEY("tx_hash","log_index")
);
--> statement-breakpoint
CREATE TABLE "reward_events" (
	"tx_hash" "bytea" NOT NULL,
	"log_index" integer NOT NULL,
	"kind" "reward_event_kind" NOT NULL,
	"bank" "bytea" NOT NULL,
	"wallet" "bytea" NOT NULL,
	"token" "bytea" NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"campaign" "bytea",
	"block_number" bigint NOT NULL,
	CONSTRAINT "reward_events_tx_hash_log_index_pk" PRIMARY KEY("tx_hash","log_index")
);
--> statement-breakpoint
CREATE TABLE "reward_index_cursor" (
	"name" varchar(64) PRIMARY KEY NOT NULL,
	"last_block" bigint NOT NULL,
	"last_block_hash" "bytea" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "leads_forward_idx" ON "leads" USING btree ("forward_status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "reward_banks_block_idx" ON "reward_banks" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "reward_campaign_events_bank_idx" ON "reward_campaign_events" USING btree ("bank","campaign");--> statement-breakpoint
CREATE INDEX "reward_campaign_events_block_idx" ON "reward_campaign_events" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "reward_events_wallet_idx" ON "reward_events" USING btree ("wallet","kind");--> statement-breakpoint
CREATE INDEX "reward_events_block_idx" ON "reward_events" USING btree ("block_number");