using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Cli;

/// <summary>
/// Which node the CLI talks to: "--admin URL" when given, else Proxy:Admin:Url of the configuration the node
/// on this machine would load (appsettings.json, --config FILE, environment), else the default address.
/// </summary>
internal static class AdminAddress
{
    public const string Option = "--admin";

    public static bool TryResolve(IReadOnlyList<string> args, out Uri address, out List<string> operands, out string? fault)
    {
        operands = [];
        string? given = null;
        var configArgs = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (string.Equals(args[i], Option, StringComparison.OrdinalIgnoreCase) && i + 1 < args.Count)
            {
                given = args[++i];
            }
            else if (args[i].StartsWith(Option + "=", StringComparison.OrdinalIgnoreCase))
            {
                given = args[i][(Option.Length + 1)..];
            }
            else if (args[i].StartsWith('-'))
            {
                configArgs.Add(args[i]);
                if (string.Equals(args[i], ConfigurationLoader.ConfigFileOption, StringComparison.OrdinalIgnoreCase) && i + 1 < args.Count)
                {
                    configArgs.Add(args[++i]);
                }
            }
            else
            {
                operands.Add(args[i]);
            }
        }

        fault = null;
        if (given is not null)
        {
            if (Uri.TryCreate(given, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
            {
                address = parsed;
                return true;
            }

            address = new Uri(new AdminOptions().Url);
            fault = $"{Option} '{given}' is not an http:// URL, e.g. http://127.0.0.1:8060";
            return false;
        }

        var configuration = ConfigurationLoader.Load(configArgs, AppContext.BaseDirectory);
        address = configuration.IsValid ? configuration.Settings.AdminUrl : new Uri(new AdminOptions().Url);
        return true;
    }
}
