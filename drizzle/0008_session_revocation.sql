CREATE TABLE "business_sessions" (
	"jti" uuid PRIMARY KEY NOT NULL,
	"wallet" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "wallet_sessions" ADD COLUMN "pairing_id" varchar(128);--> statement-breakpoint
CREATE INDEX "business_sessions_wallet_idx" ON "business_sessions" USING btree ("wallet");--> statement-breakpoint
CREATE INDEX "wallet_sessions_pairing_idx" ON "wallet_sessions" USING btree ("pairing_id");