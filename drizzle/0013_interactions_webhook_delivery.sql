CREATE TABLE "interactions_webhook_delivery" (
	"id" serial PRIMARY KEY NOT NULL,
	"product_id" "bytea" NOT NULL,
	"delivery_key" varchar(200) NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "interactions_webhook_delivery_unique" UNIQUE("product_id","delivery_key")
);
--> statement-breakpoint
CREATE INDEX "interactions_webhook_delivery_received_idx" ON "interactions_webhook_delivery" USING btree ("received_at");