CREATE TABLE "wallet_sessions" (
	"jti" uuid PRIMARY KEY NOT NULL,
	"wallet" "bytea" NOT NULL,
	"type" varchar(32) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "wallet_sessions_wallet_idx" ON "wallet_sessions" USING btree ("wallet");