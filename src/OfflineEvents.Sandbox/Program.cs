using System;
using Microsoft.Extensions.Hosting;
using OfflineEvents.Sandbox;

// dotnet run --project src/OfflineEvents.Sandbox -- --urls http://127.0.0.1:5080
// The first line printed names the bound address, so callers using port 0 can find it.
if (Array.IndexOf(args, "--urls") < 0)
{
    args = [.. args, "--urls", "http://127.0.0.1:5080"];
}
var app = SandboxServer.Build(args);
await app.StartAsync();
Console.WriteLine($"OfflineEvents sandbox listening on {SandboxServer.BoundAddress(app)}");
Console.Out.Flush();
await app.WaitForShutdownAsync();
