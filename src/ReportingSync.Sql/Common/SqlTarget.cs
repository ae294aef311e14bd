using Microsoft.Extensions.Logging;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// <see cref="IReportingTarget"/> for every dialect: the protocol and the statements are written once here and in the
/// files it uses (<see cref="PageCommitter"/>, <see cref="StateStore"/>, <see cref="DdlSql"/>, <see cref="EntitySql"/>), and
/// a <see cref="SqlDialect"/> supplies what differs. Each role has its partial file: state (<c>SqlTarget.State.cs</c>),
/// tables and drift (<c>.Tables.cs</c>), shadow tables (<c>.Shadow.cs</c>), metadata (<c>.Metadata.cs</c>), reconciliation
/// (<c>.Reconcile.cs</c>).
/// </summary>
internal sealed partial class SqlTarget : IReportingTarget
{
    private readonly SqlDialect _dialect;
    private readonly ConnectionSource _connections;
    private readonly DdlSql _ddl;
    private readonly EntitySql _sql;
    private readonly HistorySql _history;
    private readonly StateStore _state;
    private readonly PageCommitter _committer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _labelViews;

    public SqlTarget(SqlDialect dialect, ConnectionSource connections, TimeProvider time, ILogger logger, int labelLanguageCode, bool labelViews)
    {
        _dialect = dialect;
        _connections = connections;
        _ddl = new DdlSql(dialect, labelLanguageCode);
        _sql = new EntitySql(dialect);
        _history = new HistorySql(dialect);
        _state = new StateStore(dialect, logger);
        _committer = new PageCommitter(dialect, _state, time, logger);
        _time = time;
        _logger = logger;
        _labelViews = labelViews;
    }

    public string Provider => _dialect.Provider.ToString();

    internal SqlDialect Dialect => _dialect;

    internal DdlSql Ddl => _ddl;

    internal StateSql StateSql => _state.Sql;

    public Task CheckAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await _connections.CheckAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    });

    /// <summary>
    /// Creates what is missing (schemas, owned tables, indexes) and appends the columns an older EntityState lacks. When
    /// everything is there and current, nothing runs: a DBA may have run the scripts and given us a login without CREATE.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var (missingTables, upgraded) = await ReadAsync(session => MissingAsync(session, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (missingTables.Count > 0 || upgraded.Count > 0)
        {
            // Decided again inside the transaction, under the DDL lock: another worker may be doing the same right now.
            upgraded = await WriteAsync(lockDdl: true, async session =>
            {
                var (tables, columns) = await MissingAsync(session, cancellationToken).ConfigureAwait(false);
                await _dialect.EnsureSchemasAsync(session, cancellationToken).ConfigureAwait(false);
                foreach (var statement in tables.SelectMany(_ddl.CreateOwned))
                {
                    await session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
                }

                var state = _dialect.Owned(StateTables.EntityStateTable);
                foreach (var column in StateTables.EntityStateColumns.Where(c => columns.Contains(c.Name)))
                {
                    await session.ExecuteAsync(_dialect.AddColumn(state, _dialect.Quote(column.Name), _dialect.TypeName(column.Type, column.MaxLength, null)), cancellationToken)
                        .ConfigureAwait(false);
                }

                return columns;
            }, cancellationToken).ConfigureAwait(false);

            if (upgraded.Count > 0)
            {
                _logger.StateTablesUpgraded(Provider, string.Join(", ", upgraded));
            }
        }

        _logger.TargetInitialized(Provider, _dialect.Endpoint);
    }

    /// <summary>The owned tables that do not exist, and the columns an older EntityState lacks.</summary>
    private async Task<(List<OwnedTable> Tables, IReadOnlyList<string> Columns)> MissingAsync(SqlSession session, CancellationToken cancellationToken)
    {
        var tables = new List<OwnedTable>();
        IReadOnlyList<string> columns = [];
        foreach (var table in StateTables.All)
        {
            var present = await _dialect.ColumnsAsync(session, _dialect.Owned(table), _dialect.OwnedName(table), cancellationToken).ConfigureAwait(false);
            if (present is null)
            {
                tables.Add(table);
            }
            else if (table == StateTables.EntityStateTable)
            {
                columns = StateTables.EntityStateAddedColumns.Select(c => c.Name)
                    .Where(n => !present.Any(p => string.Equals(p.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
            }
        }

        return (tables, columns);
    }

    public int SeedCommitRows => _dialect.SeedCommitRows;

    public Task<CommitResult> CommitPageAsync(PageCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        Qualify(commit.EffectiveTableName, commit.Layout);
        var screened = _committer.Screen(commit);
        return RunAsync(() => _connections.WriteAsync(connection => _committer.CommitAsync(commit, screened, connection, cancellationToken), cancellationToken));
    }

    public ValueTask DisposeAsync() => _connections.DisposeAsync();

    /// <summary>Validated, quoted, qualified; refuses the replicator's own table names.</summary>
    private string Qualify(string? table, TableLayout? layout)
    {
        var entity = layout?.EntityName;
        _dialect.Quote(table!, "table", entity);
        if (_dialect.IsReserved(table!))
        {
            throw new InvalidSchemaException(entity ?? table!, $"the table name '{table}' is reserved for the replicator's own tables (DeleteLog, metadata).");
        }

        return _dialect.Table(table!, entity);
    }

    /// <summary>Runs <paramref name="body"/> on a connection of its own, outside any transaction.</summary>
    private Task<T> ReadAsync<T>(Func<SqlSession, Task<T>> body, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await body(new SqlSession(connection, null)).ConfigureAwait(false);
        }
    });

    /// <summary>Runs <paramref name="body"/> in one transaction on a write connection, and commits it.</summary>
    private Task<T> WriteAsync<T>(bool lockDdl, Func<SqlSession, Task<T>> body, CancellationToken cancellationToken) => RunAsync(() =>
        _connections.WriteAsync(async connection =>
        {
            var transaction = await _dialect.BeginAsync(connection, lockDdl, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await body(new SqlSession(connection, transaction)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }, cancellationToken));

    /// <summary>Runs a database call and turns connection-level failures into <see cref="TargetUnavailableException"/>.</summary>
    private async Task<T> RunAsync<T>(Func<Task<T>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (_dialect.Translate(ex) is { } translated)
        {
            _logger.Unavailable(translated.IsTransient, translated.Message);
            throw translated;
        }
        catch (TargetUnavailableException unavailable)
        {
            _logger.Unavailable(unavailable.IsTransient, unavailable.Message);
            throw;
        }
    }
}
