using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

internal static class SandboxIngest
{
    public static async Task<int> RunAsync(int events, string resultPath, Uri baseUri, string token, string setId)
    {
        const int batch = 1000;
        string hash = new string('a', 64);
        long now = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        var bodies = new List<byte[]>();
        for (int b = 0; b * batch < events; b++)
        {
            var text = new StringBuilder("{\"event_source\":\"offline\",\"event_source_id\":\"" + setId + "\",\"data\":[");
            for (int i = 0; i < batch; i++)
            {
                if (i > 0) text.Append(',');
                text.Append("{\"event\":\"Purchase\",\"event_time\":").Append(now).Append(",\"event_id\":\"ingest-").Append(b).Append('-').Append(i)
                    .Append("\",\"user\":{\"email\":\"").Append(hash).Append("\"},\"properties\":{\"currency\":\"USD\",\"value\":12.5,\"order_id\":\"O-").Append(b).Append('-').Append(i)
                    .Append("\",\"content_type\":\"product\",\"contents\":[{\"content_id\":\"SKU-1\",\"price\":12.5,\"quantity\":1}]}}");
            }
            bodies.Add(Encoding.UTF8.GetBytes(text.Append("]}").ToString()));
        }
        using var http = new HttpClient { BaseAddress = new Uri(baseUri, "open_api/v1.3/") };
        http.DefaultRequestHeaders.Add("Access-Token", token);
        var clock = Stopwatch.StartNew();
        int next = -1;
        async Task Worker()
        {
            int i;
            while ((i = System.Threading.Interlocked.Increment(ref next)) < bodies.Count)
            {
                var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("event/track/", content);
                string answer = await response.Content.ReadAsStringAsync();
                if (!answer.Contains("\"code\":0")) throw new InvalidOperationException("sandbox refused a batch: " + answer);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Worker()));
        double seconds = clock.Elapsed.TotalSeconds;
        var result = new Dictionary<string, object> { ["events"] = bodies.Count * batch, ["events_per_second"] = bodies.Count * batch / seconds, ["seconds"] = seconds };
        File.WriteAllText(resultPath, JsonSerializer.Serialize(result));
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }
}
