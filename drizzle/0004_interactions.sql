CREATE TYPE "public"."backend_interactions_tracker_source" AS ENUM('custom');--> statement-breakpoint
CREATE TYPE "public"."interactions_archive_reason" AS ENUM('max_retries', 'expired', 'manual');--> statement-breakpoint
CREATE TYPE "public"."interaction_batch_status" AS ENUM('sending', 'completed');--> statement-breakpoint
CREATE TYPE "public"."interactions_status" AS ENUM('pending', 'no_session', 'failed', 'simulated', 'executing', 'execution_failed');--> statement-breakpoint
CREATE TABLE "backend_interactions_tracker" (
	"id" serial PRIMARY KEY NOT NULL,
	"product_id" "bytea" NOT NULL,
	"hook_signature_key" varchar NOT NULL,
	"source" "backend_interactions_tracker_source" DEFAULT 'custom' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "backend_interactions_tracker_product_id_unique" UNIQUE("product_id")
);
--> statement-breakpoint
CREATE TABLE "interaction_batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"executor" "bytea" NOT NULL,
	"nonce" integer NOT NULL,
	"from_block" bigint NOT NULL,
	"tx_hash" "bytea",
	"size" integer NOT NULL,
	"status" "interaction_batch_status" DEFAULT 'sending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "interactions_archived" (
	"id" serial PRIMARY KEY NOT NULL,
	"interaction_id" "bytea" NOT NULL,
	"wallet" "bytea" NOT NULL,
	"product_id" "bytea" NOT NULL,
	"type_denominator" "bytea" NOT NULL,
	"interaction_data" "bytea" NOT NULL,
	"signature" "bytea",
	"final_status" "interactions_status" NOT NULL,
	"failure_reason" varchar(500),
	"total_retries" integer NOT NULL,
	"archive_reason" "interactions_archive_reason" NOT NULL,
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL,
	"original_created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "interactions_archived_interaction_id_unique" UNIQUE("interaction_id")
);
--> statement-breakpoint
CREATE TABLE "interactions_pending" (
	"id" serial PRIMARY KEY NOT NULL,
	"interaction_id" "bytea" NOT NULL,
	"wallet" "bytea" NOT NULL,
	"product_id" "bytea" NOT NULL,
	"type_denominator" "bytea" NOT NULL,
	"interaction_data" "bytea" NOT NULL,
	"signature" "bytea",
	"status" "interactions_status" DEFAULT 'pending' NOT NULL,
	"failure_reason" varchar(500),
	"retry_count" integer DEFAULT 0 NOT NULL,
	"last_retry_at" timestamp with time zone,
	"next_retry_at" timestamp with time zone,
	"batch_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "interactions_pending_interaction_id_unique" UNIQUE("interaction_id")
);
--> statement-breakpoint
CREATE TABLE "interactions_purchase_tracker" (
	"id" serial PRIMARY KEY NOT NULL,
	"wallet" "bytea" NOT NULL,
	"external_purchase_id" varchar NOT NULL,
	"external_customer_id" varchar NOT NULL,
	"token" varchar NOT NULL,
	"pushed" boolean DEFAULT false NOT NULL,
	"interaction_id" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"pushed_at" timestamp with time zone,
	CONSTRAINT "interactions_purchase_tracker_unique_map" UNIQUE("external_purchase_id","external_customer_id")
);
--> statement-breakpoint
CREATE TABLE "interactions_pushed" (
	"id" serial PRIMARY KEY NOT NULL,
	"interaction_id" "bytea" NOT NULL,
	"wallet" "bytea" NOT NULL,
	"product_id" "bytea" NOT NULL,
	"type_denominator" "bytea" NOT NULL,
	"interaction_data" "bytea" NOT NULL,
	"signature" "bytea" NOT NULL,
	"tx_hash" "bytea" NOT NULL,
	"block_number" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"pushed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "interactions_pushed_interaction_id_unique" UNIQUE("interaction_id")
);
--> statement-breakpoint
CREATE INDEX "interaction_batches_status_idx" ON "interaction_batches" USING btree ("status");--> statement-breakpoint
CREATE INDEX "interactions_archived_wallet_idx" ON "interactions_archived" USING btree ("wallet");--> statement-breakpoint
CREATE INDEX "interactions_archived_at_idx" ON "interactions_archived" USING btree ("archived_at");--> statement-breakpoint
CREATE INDEX "interactions_pending_wallet_idx" ON "interactions_pending" USING btree ("wallet");--> statement-breakpoint
CREATE INDEX "interactions_pending_product_idx" ON "interactions_pending" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "interactions_pending_status_idx" ON "interactions_pending" USING btree ("status","next_retry_at");--> statement-breakpoint
CREATE INDEX "interactions_pending_batch_idx" ON "interactions_pending" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "interactions_purchase_tracker_wallet_idx" ON "interactions_purchase_tracker" USING btree ("wallet");--> statement-breakpoint
CREATE INDEX "interactions_purchase_tracker_pushed_idx" ON "interactions_purchase_tracker" USING btree ("pushed");--> statement-breakpoint
CREATE INDEX "interactions_pushed_wallet_idx" ON "interactions_pushed" USING btree ("wallet");--> statement-breakpoint
CREATE INDEX "interactions_pushed_product_idx" ON "interactions_pushed" USING btree ("product_id");