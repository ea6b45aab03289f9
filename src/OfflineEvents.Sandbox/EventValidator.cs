using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OfflineEvents.Sandbox;

/// <summary>
/// Validates an event/track body the way TikTok is documented (or reported) to: one bad event
/// fails the whole batch, with a message in TikTok's "Batch.N.field: reason" shape.
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
    public static (int Code, string Message)? Validate(JsonObject body, int maxBatch, bool strictPii, out string eventSetId, out List<JsonObject> events)
    {
        eventSetId = "";
        events = new List<JsonObject>();
        if (body["event_source"] is not JsonValue source || !source.TryGetValue<string>(out var src) || src != "offline")
        {
            return (40002, "event_source: must be \"offline\" for offline event sets");
        }
        if (body["event_source_id"] is not JsonValue sid || !sid.TryGetValue<string>(out var setId) || setId.Length == 0)
        {
            return (40002, "event_source_id: Not a valid string");
        }
        if (!IsNumericId(setId))
        {
            return (40002, $"event_source_id: {setId} is not an offline event set id (pixel codes are not accepted here)");
        }
        eventSetId = setId;
        if (body["data"] is not JsonArray data)
        {
            return (40002, "data: Missing data for required field.");
        }
        if (data.Count == 0 || data.Count > maxBatch)
        {
            return (40061, $"data: batch size must be between 1 and {maxBatch}, got {data.Count}");
        }
        var problems = new List<string>();
        int piiCode = 0;
        for (int i = 0; i < data.Count; i++)
        {
            if (data[i] is not JsonObject e)
            {
                problems.Add($"Batch.{i}: Not a valid object");
                continue;
            }
            CheckEvent(e, $"Batch.{i}", strictPii, problems, ref piiCode);
            events.Add(e);
        }
        if (problems.Count == 0) return null;
        string message = string.Join("; ", problems.Count > 20 ? problems.GetRange(0, 20) : problems);
        return (piiCode != 0 && problems.Count == piiCode ? 40062 : 40002, message);
    }

    private static void CheckEvent(JsonObject e, string at, bool strictPii, List<string> problems, ref int piiProblems)
    {
        if (e["event"] is not JsonValue ev || !ev.TryGetValue<string>(out var name))
        {
            problems.Add($"{at}.event: Not a valid string");
        }
        else if (!StandardEvents.Contains(name))
        {
            problems.Add($"{at}.event: '{name}' is not a supported standard event");
        }
        if (e["event_time"] is not JsonValue t || t.GetValueKind() != JsonValueKind.Number || !t.TryGetValue<long>(out var seconds))
        {
            problems.Add($"{at}.event_time: Not a valid integer");
        }
        else if (seconds < 1_000_000_000L || seconds > DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds())
        {
            problems.Add($"{at}.event_time: {seconds} is out of range");
        }
        if (e.ContainsKey("event_id") && (e["event_id"] is not JsonValue id || id.GetValueKind() != JsonValueKind.String))
        {
            problems.Add($"{at}.event_id: Not a valid string");
        }
        if (e["user"] is JsonNode user)
        {
            if (user is not JsonObject u)
            {
                problems.Add($"{at}.user: Not a valid object");
            }
            else
            {
                foreach (var field in new[] { "email", "phone", "external_id" })
                {
                    CheckPii(u[field], $"{at}.user.{field}", strictPii, problems, ref piiProblems);
                }
            }
        }
        if (e["properties"] is JsonNode props)
        {
            if (props is not JsonObject p)
            {
                problems.Add($"{at}.properties: Not a valid object");
                return;
            }
            CheckNumber(p["value"], $"{at}.properties.value", problems);
            if (p["currency"] is JsonNode cur && (cur is not JsonValue cv || !cv.TryGetValue<string>(out var c) || c.Length != 3 || !IsUpperAscii(c)))
            {
                problems.Add($"{at}.properties.currency: Not a valid ISO 4217 code");
            }
            CheckString(p["order_id"], $"{at}.properties.order_id", problems);
            CheckString(p["shop_id"], $"{at}.properties.shop_id", problems);
            if (p["contents"] is JsonNode contents)
            {
                if (contents is not JsonArray items)
                {
                    problems.Add($"{at}.properties.contents: Not a valid list");
                    return;
                }
                for (int j = 0; j < items.Count; j++)
                {
                    string ct = $"{at}.properties.contents.{j}";
                    if (items[j] is not JsonObject item)
                    {
                        problems.Add($"{ct}: Not a valid object");
                        continue;
                    }
                    CheckString(item["content_id"], $"{ct}.content_id", problems);
                    CheckString(item["content_category"], $"{ct}.content_category", problems);
                    CheckString(item["content_name"], $"{ct}.content_name", problems);
                    CheckNumber(item["price"], $"{ct}.price", problems);
                    if (item["quantity"] is JsonNode q && (q is not JsonValue qv || qv.GetValueKind() != JsonValueKind.Number || !qv.TryGetValue<long>(out var qty) || qty < 0))
                    {
                        problems.Add($"{ct}.quantity: Not a valid integer");
                    }
                }
            }
        }
    }

    private static void CheckPii(JsonNode? node, string at, bool strict, List<string> problems, ref int piiProblems)
    {
        if (node == null) return;
        var values = new List<JsonNode?>();
        if (node is JsonArray arr) values.AddRange(arr); else values.Add(node);
        foreach (var v in values)
        {
            if (v is not JsonValue jv || !jv.TryGetValue<string>(out var s))
            {
                problems.Add($"{at}: Not a valid string");
            }
            else if (strict && s.Length > 0 && !IsSha256Hex(s))
            {
                // Never echo the value: it may be plaintext PII.
                problems.Add($"{at}: PII must be SHA-256 hashed");
                piiProblems++;
            }
        }
    }

    private static void CheckString(JsonNode? node, string at, List<string> problems)
    {
        if (node != null && (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
        {
            problems.Add($"{at}: Not a valid string");
        }
    }

    private static void CheckNumber(JsonNode? node, string at, List<string> problems)
    {
        if (node != null && (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || v.GetValue<double>() < 0))
        {
            problems.Add($"{at}: Not a valid number");
        }
    }

    public static bool IsNumericId(string s)
    {
        if (s.Length == 0 || s.Length > 32) return false;
        foreach (char c in s) if (c < '0' || c > '9') return false;
        return true;
    }

    private static bool IsUpperAscii(string s)
    {
        foreach (char c in s) if (c < 'A' || c > 'Z') return false;
        return true;
    }

    private static bool IsSha256Hex(string s)
    {
        if (s.Length != 64) return false;
        foreach (char c in s) if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        return true;
    }
}
