/**
 * Sharing identical requests while they are under way: a second ask for the same key gets the
 * first one's promise. Nothing is kept once it settles (a failed request is asked again). Pure.
 */
export class InFlight<T> {
    private readonly requests = new Map<string, Promise<T>>();

    /** The request under way for `key` (calling `onShared`), else a new one from `start`. */
    share(key: string, start: () => Promise<T>, onShared?: () => void): Promise<T> {
        const shared = this.requests.get(key);
        if (shared) {
            onShared?.();
            return shared;
        }
        const request = start();
        this.requests.set(key, request);
        const forget = () => this.requests.delete(key);
        request.then(forget, forget);
        return request;
    }
}
