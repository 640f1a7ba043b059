using System.CommandLine;
using Bifro.Silo.Commands;

var root = new RootCommand("Bifro: an MQTT broker on virtual actors.");
RunCommand.AddTo(root);
MigrateCommand.AddTo(root);
HashPasswordCommand.AddTo(root);
AdminCommand.AddTo(root);
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
