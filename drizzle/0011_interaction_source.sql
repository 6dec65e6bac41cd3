CREATE TYPE "public"."interaction_source" AS ENUM('wallet', 'merchant');--> statement-breakpoint
ALTER TABLE "interactions_pending" ADD COLUMN "source" "interaction_source" DEFAULT 'wallet' NOT NULL;--> statement-breakpoint
ALTER TABLE "interactions_pushed" ADD COLUMN "source" "interaction_source" DEFAULT 'wallet' NOT NULL;