using System.Net;
using System.Net.Http.Json;
using OrleansProxy.Silo.Admin;

namespace OrleansProxy.Silo.Cli;

/// <summary>The CLI's view of a running node's admin API; every failure becomes an <see cref="AdminClientException"/> with a message for the operator.</summary>
internal sealed class AdminClient(HttpClient http) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public Uri BaseAddress => http.BaseAddress!;

    public static AdminClient Create(Uri baseAddress) =>
        new(new HttpClient { BaseAddress = baseAddress, Timeout = Timeout });

    public async Task<PairStatusDto[]> GetPairsAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/pairs"), cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(AdminJsonContext.Wire.PairStatusDtoArray, cancellationToken).ConfigureAwait(false)
            ?? throw new AdminClientException($"{BaseAddress} answered /api/pairs with an empty body");
    }

    public async Task<PairStatusDto> SwitchoverAsync(string pair, CancellationToken cancellationToken)
    {
        var path = $"api/pairs/{Uri.EscapeDataString(pair)}/switchover";
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, path), cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(AdminJsonContext.Wire.PairStatusDto, cancellationToken).ConfigureAwait(false)
            ?? throw new AdminClientException($"{BaseAddress} answered the switchover with an empty body");
    }

    /// <param name="requestUri">With <paramref name="source"/>, asks how that request would be routed; null for the rules only.</param>
    public async Task<RoutesDto> GetRoutesAsync(string? requestUri, string? source, string? listener, CancellationToken cancellationToken)
    {
        var path = "api/routes";
        if (requestUri is not null)
        {
            path += $"?ruri={Uri.EscapeDataString(requestUri)}&source={Uri.EscapeDataString(source ?? string.Empty)}";
            if (listener is not null)
            {
                path += $"&listener={Uri.EscapeDataString(listener)}";
            }
        }

        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(AdminJsonContext.Wire.RoutesDto, cancellationToken).ConfigureAwait(false)
            ?? throw new AdminClientException($"{BaseAddress} answered /api/routes with an empty body");
    }

    /// <summary>Asks the node to read its configuration again; a refused configuration is an answer too, not an error.</summary>
    public async Task<ReloadDto> ReloadAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/reload"), cancellationToken, HttpStatusCode.BadRequest)
            .ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(AdminJsonContext.Wire.ReloadDto, cancellationToken).ConfigureAwait(false)
            ?? throw new AdminClientException($"{BaseAddress} answered the reload with an empty body");
    }

    public void Dispose() => http.Dispose();

    /// <param name="alsoAnswer">A failure status whose body is an answer of the call's own shape.</param>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, HttpStatusCode? alsoAnswer = null)
    {
        HttpResponseMessage response;
        try
        {
            using (request)
            {
                response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException e)
        {
            throw new AdminClientException(
                $"cannot reach orleans-proxy at {BaseAddress} ({e.GetBaseException().Message}); is it running? Name its admin URL with --admin URL", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AdminClientException($"orleans-proxy at {BaseAddress} did not answer within {Timeout.TotalSeconds:0} s", e);
        }

        if (response.IsSuccessStatusCode || response.StatusCode == alsoAnswer)
        {
            return response;
        }

        using (response)
        {
            throw new AdminClientException(await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false));
        }
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(AdminJsonContext.Wire.AdminErrorDto, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return error.Error;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not the admin API's error shape (e.g. a proxy in between); the status line below says enough.
        }

        return $"the admin API answered {(int)response.StatusCode} {response.ReasonPhrase ?? HttpStatusCode.InternalServerError.ToString()}";
    }
}
