CREATE TYPE "public"."product_oracle_platform" AS ENUM('shopify', 'woocommerce', 'custom', 'internal');--> statement-breakpoint
CREATE TYPE "public"."purchase_status" AS ENUM('pending', 'confirmed', 'cancelled', 'refunded');--> statement-breakpoint
CREATE TABLE "product_oracle_purchase_item" (
	"id" serial PRIMARY KEY NOT NULL,
	"purchase_id" "bytea" NOT NULL,
	"external_id" varchar NOT NULL,
	"price" numeric NOT NULL,
	"name" varchar NOT NULL,
	"title" varchar NOT NULL,
	"image_url" varchar,
	"quantity" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_oracle_purchase_item_unique" UNIQUE("external_id","purchase_id")
);
--> statement-breakpoint
CREATE TABLE "product_oracle_purchase" (
	"id" serial PRIMARY KEY NOT NULL,
	"oracle_id" integer NOT NULL,
	"purchase_id" "bytea" NOT NULL,
	"external_id" varchar NOT NULL,
	"external_customer_id" varchar NOT NULL,
	"purchase_token" varchar,
	"total_price" numeric NOT NULL,
	"currency_code" varchar(4) NOT NULL,
	"status" "purchase_status" DEFAULT 'pending' NOT NULL,
	"leaf" "bytea",
	"leaf_index" integer,
	"leaf_pending" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_oracle_purchase_purchase_id_unique" UNIQUE("purchase_id"),
	CONSTRAINT "product_oracle_purchase_external_id_unique" UNIQUE("external_id","oracle_id"),
	CONSTRAINT "product_oracle_purchase_external_token_unique" UNIQUE("external_id","purchase_token"),
	CONSTRAINT "product_oracle_purchase_leaf_index_unique" UNIQUE("oracle_id","leaf_index")
);
--> statement-breakpoint
CREATE TABLE "oracle_webhook_inbox" (
	"id" serial PRIMARY KEY NOT NULL,
	"oracle_id" integer NOT NULL,
	"platform" "product_oracle_platform" NOT NULL,
	"delivery_key" varchar(200),
	"headers" jsonb NOT NULL,
	"body" "bytea" NOT NULL,
	"outcome" varchar(16) NOT NULL,
	"reason" varchar(500),
	"purchase_id" "bytea",
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oracle_webhook_inbox_delivery_unique" UNIQUE("oracle_id","delivery_key")
);
--> statement-breakpoint
CREATE TABLE "product_oracle" (
	"id" serial PRIMARY KEY NOT NULL,
	"product_id" "bytea" NOT NULL,
	"hook_signature_key" varchar NOT NULL,
	"platform" "product_oracle_platform" DEFAULT 'shopify' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"merkle_root" "bytea",
	"synced" boolean DEFAULT false NOT NULL,
	"last_sync_tx_hash" "bytea",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_oracle_product_id_unique" UNIQUE("product_id")
);
--> statement-breakpoint
ALTER TABLE "product_oracle_purchase_item" ADD CONSTRAINT "product_oracle_purchase_item_purchase_id_product_oracle_purchase_purchase_id_fk" FOREIGN KEY ("purchase_id") REFERENCES "public"."product_oracle_purchase"("purchase_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_oracle_purchase" ADD CONSTRAINT "product_oracle_purchase_oracle_id_product_oracle_id_fk" FOREIGN KEY ("oracle_id") REFERENCES "public"."product_oracle"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oracle_webhook_inbox" ADD CONSTRAINT "oracle_webhook_inbox_oracle_id_product_oracle_id_fk" FOREIGN KEY ("oracle_id") REFERENCES "public"."product_oracle"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "product_oracle_purchase_item_purchase_idx" ON "product_oracle_purchase_item" USING btree ("purchase_id");--> statement-breakpoint
CREATE INDEX "product_oracle_purchase_pending_idx" ON "product_oracle_purchase" USING btree ("oracle_id","updated_at") WHERE "product_oracle_purchase"."leaf_pending";--> statement-breakpoint
CREATE INDEX "oracle_webhook_inbox_outcome_idx" ON "oracle_webhook_inbox" USING btree ("outcome","received_at");