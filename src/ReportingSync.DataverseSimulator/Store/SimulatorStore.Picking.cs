using ReportingSync.DataverseSimulator.Generation;

namespace ReportingSync.DataverseSimulator.Store;

internal sealed partial class SimulatorStore
{
    /// <summary>A live row chosen with <paramref name="random"/>, or null when the table is empty.</summary>
    internal RowRef? PickRow(string entity, ref CellRandom random)
    {
        var table = Require(entity);
        lock (_gate)
        {
            var total = table.BaseCount + table.CreatedKeys.Count;
            for (var attempt = 0; attempt < 16 && total > 0; attempt++)
            {
                var index = random.Next(total);
                var key = index < table.BaseCount ? table.BaseKeys[index] : table.CreatedKeys.ElementAt(index - table.BaseCount);
                if (table.Find(key) is { } row)
                {
                    return row;
                }
            }

            return null;
        }
    }
}
