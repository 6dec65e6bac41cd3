CREATE TABLE "push_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"wallet" "bytea" NOT NULL,
	"endpoint" varchar NOT NULL,
	"key_p256dh" varchar NOT NULL,
	"key_auth" varchar NOT NULL,
	"expire_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "unique_push_token" UNIQUE("wallet","endpoint","key_p256dh")
);
--> statement-breakpoint
CREATE INDEX "wallet_push_tokens_idx" ON "push_tokens" USING btree ("wallet");