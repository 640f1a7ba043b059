using Bifro.Hosting;

namespace Bifro.Runtime.Tests.Storage;

public sealed class MemoryGrainStorageTests : GrainStorageTests
{
    protected override void AddStorage(ISiloBuilder silo) => silo.AddMemoryGrainStorage();
}
