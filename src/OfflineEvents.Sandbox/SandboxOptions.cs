using System;
using System.Collections.Generic;

namespace OfflineEvents.Sandbox;

/// <summary>What the sandbox accepts. Bound from the "Sandbox" configuration section
/// (command line: <c>--Sandbox:Tokens:0=abc --Sandbox:Advertisers:0=7000000000000000001</c>).</summary>
public sealed class SandboxOptions
{
    /// <summary>Access tokens that authenticate. Anything else answers 40105.</summary>
    public List<string> Tokens { get; set; } = new() { "sandbox-access-token" };

    /// <summary>Tokens that answer 40102 (expired).</summary>
    public List<string> ExpiredTokens { get; set; } = new();

    /// <summary>Advertiser ids the tokens may act for. Others answer 40001.</summary>
    public List<string> Advertisers { get; set; } = new() { "7000000000000000001" };

    /// <summary>Reject plaintext email/phone/external_id with 40062, as TikTok may.</summary>
    public bool StrictPii { get; set; } = true;

    /// <summary>Token-bucket refill rate per token, requests a second; 0 turns the limit off.</summary>
    public double RateLimitPerSecond { get; set; } = 200;

    /// <summary>Token-bucket size: how many requests may arrive at once.</summary>
    public int RateLimitBurst { get; set; } = 50;

    /// <summary>
    /// Whether a failed batch's message names the bad events ("data.3.event_time: ..."), as TikTok's messages
    /// are reported to. Off, the message names none, so a client must find them another way.
    /// </summary>
    public bool NameBadEvents { get; set; } = true;

    /// <summary>How a failed batch's message names an event: "data" (event/track's "data.3.event_time", the default) or
    /// "Batch" (the retired pixel/batch endpoint's "Batch.3.event_time").</summary>
    public string ItemErrorPrefix { get; set; } = "data";

    /// <summary>The partner_name values accepted; any other answers 40063 (INVALID_PARTNER_NAME), as upstream.</summary>
    public List<string> PartnerNames { get; set; } = new() { "OfflineEventsSandboxPartner" };

    /// <summary>Most events one event/track call may carry.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Seed for generated ids and random faults, so runs repeat.</summary>
    public int Seed { get; set; } = 1;

    public static readonly TimeSpan MaxEventAge = TimeSpan.FromDays(3650);
}
