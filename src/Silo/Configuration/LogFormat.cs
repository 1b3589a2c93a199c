namespace OrleansProxy.Silo.Configuration;

/// <summary>How the console sinks write log events ("Proxy:Admin:LogFormat", or --log-format).</summary>
internal enum LogFormat
{
    Text = 0,
    Json = 1,
}
