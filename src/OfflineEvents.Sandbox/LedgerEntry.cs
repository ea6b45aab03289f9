namespace OfflineEvents.Sandbox;

/// <summary>
/// One event the sandbox accepted: what tests read back from the ledger. The payload is a copy of the event's
/// UTF-8 JSON. Entries once pointed into the request's parsed document, which kept every request body and its
/// parse tables alive for the sandbox's lifetime (twice the copy's size) and made each request allocate new
/// ones: the sandbox spent more and more on garbage collection as a benchmark went on.
/// </summary>
public sealed record LedgerEntry(
    string EventSetId, string Event, string? EventId, long EventTime, string RequestId, byte[] Payload, string? TestEventCode);
