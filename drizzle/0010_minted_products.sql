CREATE TABLE "business_minted_products" (
	"product_id" "bytea" PRIMARY KEY NOT NULL,
	"domain" varchar(253) NOT NULL,
	"owner" "bytea" NOT NULL,
	"mint_tx_hash" "bytea" NOT NULL,
	"minted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "business_minted_products_domain_unique" UNIQUE("domain")
);
