using System.CommandLine;
using Bifro.Bench.Cli;

var root = new RootCommand("bifro-bench: MQTT load generator and side-by-side runner for Bifro and Mosquitto")
{
    CompareCommand.Create(),
    ScenarioCommand.Create(),
    PubCommand.Create(),
    SubCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
