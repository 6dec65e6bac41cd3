import { ApiError } from "../../../infrastructure/errors/api-error";
import type { LeadRepository, LeadTable } from "../repositories/lead-repository";

const TABLES: readonly LeadTable[] = ["demo_request", "simulation"];

/**
 * `POST /common/airtable`: the seed's checks in the seed's order, then the lead is stored (the
 * unique (table, email) key answers the duplicate check) and the forwarder is woken.
 */
export class LeadService {
    constructor(
        private readonly leads: LeadRepository,
        private readonly wakeForwarder: () => void,
    ) {}

    async submit(table: string, body: { email: string } & Record<string, unknown>): Promise<void> {
        if (!table) {
            throw new ApiError(
                "missing_table",
                "table query parameter is required (demo_request or simulation)",
            );
        }
        if (!TABLES.includes(table as LeadTable)) {
            throw new ApiError(
                "invalid_table",
                "table must be either 'demo_request' or 'simulation'",
            );
        }
        const email = body.email.trim().toLowerCase();
        if (!email) throw new ApiError("missing_email", "email is required in request body");
        const created = await this.leads.insert({
            tableName: table as LeadTable,
            email,
            fields: body,
        });
        if (!created) {
            throw new ApiError("lead_exists", "Record with this email already exists");
        }
        this.wakeForwarder();
    }
}
