using System.CommandLine;
using Bifro.Bench.Cli;

var root = new RootCommand("bifro-bench: MQTT load generator and side-by-side runner for Bifro and Mosquitto")
{
    CompareCommand.Create(),
    ScenarioCommand.Create(),
    PubCommand.Create(),
    SubCommand.Create(),
};
// No termination handler of System.CommandLine's: compare installs its own (ExitGuard), which stops the
// brokers and PostgreSQL before exiting; the other commands end on the signal's default action.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
