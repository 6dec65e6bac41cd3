/** One line of the `npm run bench` table. */
export type BenchRow = {
    area: string;
    metric: string;
    value: string;
    peer?: string;
    ratio?: string;
    target?: string;
};
