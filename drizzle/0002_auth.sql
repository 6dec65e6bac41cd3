CREATE TABLE "authenticators" (
	"credential_id" text PRIMARY KEY NOT NULL,
	"smart_wallet_address" "bytea",
	"user_agent" text NOT NULL,
	"public_key" jsonb NOT NULL,
	"credential_public_key" "bytea" NOT NULL,
	"counter" bigint DEFAULT 0 NOT NULL,
	"credential_device_type" varchar(32) NOT NULL,
	"credential_backed_up" boolean NOT NULL,
	"transports" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "siwe_nonces" (
	"nonce" varchar(128) PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webauthn_challenges" (
	"challenge" "bytea" PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "authenticators_smart_wallet_address_idx" ON "authenticators" USING btree ("smart_wallet_address");--> statement-breakpoint
CREATE INDEX "siwe_nonces_expires_at_idx" ON "siwe_nonces" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "webauthn_challenges_expires_at_idx" ON "webauthn_challenges" USING btree ("expires_at");