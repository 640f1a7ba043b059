namespace Bifro.Bench.Scenarios;

/// <summary>The broker misbehaved (stopped answering, closed a connection); the scenario fails, the run goes on.</summary>
internal sealed class ScenarioFailedException(string message, Exception? inner = null) : Exception(message, inner);
