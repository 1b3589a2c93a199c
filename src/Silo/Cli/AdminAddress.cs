using System.CommandLine;
using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Cli;

/// <summary>
/// Which node the CLI talks to: "--admin URL" when given, else Proxy:Admin:Url of the configuration the node
/// on this machine would load (appsettings.json, --config FILE, environment, overrides), else the default address.
/// </summary>
internal sealed class AdminAddress
{
    public const string OptionName = "--admin";

    private readonly Option<Uri?> admin = OptionValues.Create<Uri?>(OptionName, null, TryHttpUrl, "an http:// URL, e.g. http://127.0.0.1:8060");
    private readonly ConfigurationOptions configuration;

    private AdminAddress(Command command)
    {
        admin.Description = "the node's admin endpoint";
        command.Options.Add(admin);
        configuration = ConfigurationOptions.ForAdminUrl(command);
    }

    /// <summary>
    /// A verb that talks to a running node: --admin, --config and overrides name the node. A fault that
    /// <paramref name="checkOperands"/> names is a usage fault; otherwise <paramref name="run"/> gets the node's address.
    /// </summary>
    public static Command CreateVerb(
        string name,
        string description,
        Func<ParseResult, string?> checkOperands,
        Func<ParseResult, Uri, CancellationToken, Task<int>> run)
    {
        var command = new Command(name, description);
        var admin = new AdminAddress(command);
        command.SetAction((parseResult, cancellationToken) => checkOperands(parseResult) is { } fault
            ? Task.FromResult(UsageFault.Report(parseResult, fault))
            : run(parseResult, admin.Resolve(parseResult), cancellationToken));
        return command;
    }

    private Uri Resolve(ParseResult parseResult)
    {
        if (parseResult.GetValue(admin) is { } given)
        {
            return given;
        }

        var loaded = ConfigurationLoader.Load(configuration.Sources(parseResult, OptionValues.Overrides(parseResult)));
        return loaded.IsValid ? loaded.Settings.AdminUrl : new Uri(new AdminOptions().Url);
    }

    private static bool TryHttpUrl(string text, out Uri? url)
    {
        var ok = Uri.TryCreate(text, UriKind.Absolute, out url) && url.Scheme is "http" or "https";
        url = ok ? url : null;
        return ok;
    }
}
