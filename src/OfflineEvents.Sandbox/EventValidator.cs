using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace OfflineEvents.Sandbox;

/// <summary>
/// Validates an event/track body the way TikTok is documented (or reported) to: one bad event
/// fails the whole batch, with a message in event/track's "data.N.field: reason" shape (the retired
/// pixel/batch endpoint said "Batch.N"; <see cref="SandboxOptions.ItemErrorPrefix"/> brings that back). Reads the
/// parsed document in place (no DOM copies): the sandbox must keep up with the client it tests.
/// </summary>
public static class EventValidator
{
    public static readonly HashSet<string> StandardEvents = new(StringComparer.Ordinal)
    {
        "CompletePayment", "Contact", "Subscribe", "SubmitForm", "AddPaymentInfo", "AddToCart",
        "AddToWishlist", "ClickButton", "CompleteRegistration", "Download", "InitiateCheckout",
        "PlaceAnOrder", "Search", "ViewContent", "Purchase", "Lead", "ApplicationApproval",
        "CustomizeProduct", "FindLocation", "Schedule", "StartTrial", "SubmitApplication",
    };

    /// <summary>The error (code, message) for the first problem found, or null when the batch is valid.</summary>
    public static (int Code, string Message)? Validate(JsonElement body, int maxBatch, bool strictPii, out string eventSetId, out List<JsonElement> events,
        ICollection<string>? partnerNames = null)
    {
        eventSetId = "";
        events = new List<JsonElement>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (40002, "Request body must be a JSON object.");
        }
        if (!body.TryGetProperty("event_source"u8, out var source) || source.ValueKind != JsonValueKind.String || source.GetString() != "offline")
        {
            return (40002, "event_source: must be \"offline\" for offline event sets");
        }
        if (!body.TryGetProperty("event_source_id"u8, out var sid) || sid.ValueKind != JsonValueKind.String || sid.GetString()!.Length == 0)
        {
            return (40002, "event_source_id: Not a valid string");
        }
        if (body.TryGetProperty("partner_name"u8, out var partner)
            && (partner.ValueKind != JsonValueKind.String || partnerNames == null || !partnerNames.Contains(partner.GetString()!)))
        {
            // TikTok's code table: 40063 INVALID_PARTNER_NAME. Integrations send only names TikTok registered for them.
            return (40063, "partner_name: not a registered partner name");
        }
        if (body.TryGetProperty("test_event_code"u8, out var topCode) && topCode.ValueKind != JsonValueKind.String)
        {
            return (40002, "test_event_code: Not a valid string");
        }
        string setId = sid.GetString()!;
        if (!IsNumericId(setId))
        {
            return (40002, $"event_source_id: {setId} is not an offline event set id (pixel codes are not accepted here)");
        }
        eventSetId = setId;
        if (!body.TryGetProperty("data"u8, out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return (40002, "data: Missing data for required field.");
        }
        int count = data.GetArrayLength();
        if (count == 0 || count > maxBatch)
        {
            return (40061, $"data: batch size must be between 1 and {maxBatch}, got {count}");
        }
        events.Capacity = count;
        var problems = new List<string>();
        long latest = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();
        int piiCode = 0, i = 0;
        foreach (var e in data.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"data.{i}: Not a valid object");
            }
            else
            {
                CheckEvent(e, i, latest, strictPii, problems, ref piiCode);
                events.Add(e);
            }
            i++;
        }
        if (problems.Count == 0) return null;
        string message = string.Join("; ", problems.Count > 20 ? problems.GetRange(0, 20) : problems);
        return (piiCode != 0 && problems.Count == piiCode ? 40062 : 40002, message);
    }

    // Names are looked up as UTF-8 (u8 literals): a string name is transcoded for every property it is compared with.
    private static readonly (byte[] Utf8, string Name)[] PiiFields = { ("email"u8.ToArray(), "email"), ("phone"u8.ToArray(), "phone"), ("external_id"u8.ToArray(), "external_id") };

    // Paths such as "data.3.properties.contents.0.price" are built only for a problem: building them for every
    // field of every valid event was most of what the validator allocated.
    private static string At(int index, string path, int item = -1) =>
        item < 0 ? $"data.{index}.{path}" : $"data.{index}.properties.contents.{item}" + (path.Length > 0 ? "." + path : string.Empty);

    // A field of the event's properties, or of its item-th contents entry.
    private static string PropertyAt(int index, string name, int item) => At(index, item < 0 ? "properties." + name : name, item);

    private static void CheckEvent(JsonElement e, int index, long latest, bool strictPii, List<string> problems, ref int piiProblems)
    {
        if (!e.TryGetProperty("event"u8, out var ev) || ev.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{At(index, "event")}: Not a valid string");
        }
        else if (!StandardEvents.Contains(ev.GetString()!))
        {
            problems.Add($"{At(index, "event")}: '{ev.GetString()}' is not a supported standard event");
        }
        if (!e.TryGetProperty("event_time"u8, out var t) || t.ValueKind != JsonValueKind.Number || !t.TryGetInt64(out var seconds))
        {
            problems.Add($"{At(index, "event_time")}: Not a valid integer");
        }
        // Before 2000-01-01 (the epoch, year 1: placeholders of empty dates) or more than a day ahead: refused.
        else if (seconds < 946_684_800L || seconds > latest)
        {
            problems.Add($"{At(index, "event_time")}: {seconds} is out of range");
        }
        if (e.TryGetProperty("event_id"u8, out var id) && id.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{At(index, "event_id")}: Not a valid string");
        }
        if (e.TryGetProperty("test_event_code"u8, out var testCode) && testCode.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{At(index, "test_event_code")}: Not a valid string");
        }
        if (!e.TryGetProperty("user"u8, out var user))
        {
            // Offline events are matched on email or phone (the upload's "email: required if no phone"): none, nothing to count.
            problems.Add($"{At(index, "user")}: Missing data for required field: email or phone");
        }
        else if (user.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{At(index, "user")}: Not a valid object");
        }
        else
        {
            foreach (var (utf8, field) in PiiFields)
            {
                if (user.TryGetProperty(utf8, out var value)) CheckPii(value, index, field, strictPii, problems, ref piiProblems);
            }
            if (!HasValue(user, "email"u8) && !HasValue(user, "phone"u8))
            {
                problems.Add($"{At(index, "user")}: Missing data for required field: email or phone");
            }
        }
        if (!e.TryGetProperty("properties"u8, out var p)) return;
        if (p.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{At(index, "properties")}: Not a valid object");
            return;
        }
        CheckNumber(p, "value"u8, "value", index, -1, problems);
        if (p.TryGetProperty("currency"u8, out var cur) && (cur.ValueKind != JsonValueKind.String || !IsCurrencyCode(cur)))
        {
            problems.Add($"{At(index, "properties.currency")}: Not a valid ISO 4217 code");
        }
        CheckString(p, "order_id"u8, "order_id", index, -1, problems);
        CheckString(p, "shop_id"u8, "shop_id", index, -1, problems);
        if (p.TryGetProperty("content_type"u8, out var contentType)
            && (contentType.ValueKind != JsonValueKind.String || (contentType.GetString() != "product" && contentType.GetString() != "product_group")))
        {
            problems.Add($"{At(index, "properties.content_type")}: must be one of product, product_group");
        }
        if (!p.TryGetProperty("contents"u8, out var contents)) return;
        if (contents.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{At(index, "properties.contents")}: Not a valid list");
            return;
        }
        if (contents.GetArrayLength() == 0)
        {
            problems.Add($"{At(index, "properties.contents")}: Shorter than minimum length 1.");
            return;
        }
        int j = 0;
        foreach (var item in contents.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{At(index, string.Empty, j)}: Not a valid object");
            }
            else
            {
                CheckString(item, "content_id"u8, "content_id", index, j, problems);
                CheckString(item, "content_category"u8, "content_category", index, j, problems);
                CheckString(item, "content_name"u8, "content_name", index, j, problems);
                CheckNumber(item, "price"u8, "price", index, j, problems);
                if (item.TryGetProperty("quantity"u8, out var q) && (q.ValueKind != JsonValueKind.Number || !q.TryGetInt32(out var qty) || qty < 0))
                {
                    problems.Add($"{At(index, "quantity", j)}: Not a valid integer");
                }
            }
            j++;
        }
    }

    // An identifier field with a value: a non-empty string, or an array holding one (TikTok's user fields take both).
    private static bool HasValue(JsonElement user, ReadOnlySpan<byte> name)
    {
        if (!user.TryGetProperty(name, out var v)) return false;
        if (v.ValueKind == JsonValueKind.String) return v.GetString()!.Length > 0;
        if (v.ValueKind != JsonValueKind.Array) return false;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString()!.Length > 0) return true;
        }
        return false;
    }

    private static void CheckPii(JsonElement node, int index, string field, bool strict, List<string> problems, ref int piiProblems)
    {
        if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var v in node.EnumerateArray()) CheckPiiValue(v, index, field, strict, problems, ref piiProblems);
        }
        else
        {
            CheckPiiValue(node, index, field, strict, problems, ref piiProblems);
        }
    }

    private static void CheckPiiValue(JsonElement v, int index, string field, bool strict, List<string> problems, ref int piiProblems)
    {
        if (v.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{At(index, "user." + field)}: Not a valid string");
            return;
        }
        if (strict && !IsEmptyOrSha256Hex(v))
        {
            // Never echo the value: it may be plaintext PII.
            problems.Add($"{At(index, "user." + field)}: PII must be SHA-256 hashed");
            piiProblems++;
        }
    }

    private static void CheckString(JsonElement parent, ReadOnlySpan<byte> utf8Name, string name, int index, int item, List<string> problems)
    {
        if (parent.TryGetProperty(utf8Name, out var v) && v.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{PropertyAt(index, name, item)}: Not a valid string");
        }
    }

    private static void CheckNumber(JsonElement parent, ReadOnlySpan<byte> utf8Name, string name, int index, int item, List<string> problems)
    {
        if (parent.TryGetProperty(utf8Name, out var v) && (v.ValueKind != JsonValueKind.Number || v.GetDouble() < 0))
        {
            problems.Add($"{PropertyAt(index, name, item)}: Not a valid number");
        }
    }

    public static bool IsNumericId(string s)
    {
        if (s.Length == 0 || s.Length > 32) return false;
        foreach (char c in s) if (c < '0' || c > '9') return false;
        return true;
    }

    // Both read the string's UTF-8 bytes in place (no string per value); an escaped value is never valid here.
    private static bool IsCurrencyCode(JsonElement value)
    {
        var code = Unquoted(JsonMarshal.GetRawUtf8Value(value));
        if (code.Length != 3) return false;
        foreach (byte c in code) if (c < 'A' || c > 'Z') return false;
        return true;
    }

    private static bool IsEmptyOrSha256Hex(JsonElement value)
    {
        var hash = Unquoted(JsonMarshal.GetRawUtf8Value(value));
        if (hash.Length == 0) return true;
        if (hash.Length != 64) return false;
        foreach (byte c in hash) if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        return true;
    }

    private static ReadOnlySpan<byte> Unquoted(ReadOnlySpan<byte> raw) =>
        raw.Length >= 2 && raw[0] == (byte)'"' ? raw.Slice(1, raw.Length - 2) : raw;
}
