ALTER TABLE "product_oracle_purchase_item" DROP CONSTRAINT "product_oracle_purchase_item_purchase_id_product_oracle_purchase_purchase_id_fk";
--> statement-breakpoint
ALTER TABLE "product_oracle_purchase_item" ADD CONSTRAINT "product_oracle_purchase_item_purchase_fk" FOREIGN KEY ("purchase_id") REFERENCES "public"."product_oracle_purchase"("purchase_id") ON DELETE no action ON UPDATE no action;