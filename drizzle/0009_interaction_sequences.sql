CREATE TABLE "interaction_sequences" (
	"product_id" "bytea" PRIMARY KEY NOT NULL,
	"next" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "interaction_batches" ADD COLUMN "contract" "bytea";--> statement-breakpoint
ALTER TABLE "interactions_pending" ADD COLUMN "sequence" bigint;--> statement-breakpoint
ALTER TABLE "interactions_pushed" ADD COLUMN "sequence" bigint;--> statement-breakpoint
ALTER TABLE "interactions_pending" ADD CONSTRAINT "interactions_pending_product_sequence" UNIQUE("product_id","sequence");