using ReportingSync.DataverseSimulator.Generation;
using ReportingSync.DataverseSimulator.Requests;

namespace ReportingSync.DataverseSimulator.Faults;

/// <summary>
/// The fault rules in force and the record of faults injected. Rules are tried in the order added; the first that
/// fires wins. Randomness is seeded, so a run with the same seed and request sequence injects the same faults.
/// </summary>
internal sealed class FaultInjector(int seed, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<RuleState> _rules = [];
    private readonly List<InjectedFault> _injected = [];
    private CellRandom _random = new(StableHash.Combine(StableHash.Mix((ulong)seed), StableHash.Of("faults")));

    public FaultRule Add(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Add(new RuleState(rule));
            return rule;
        }
    }

    public bool Remove(FaultRule rule)
    {
        lock (_gate)
        {
            return _rules.RemoveAll(r => ReferenceEquals(r.Rule, rule)) > 0;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return _rules.Select(r => r.Rule).ToList();
            }
        }
    }

    public IReadOnlyList<InjectedFault> Injected
    {
        get
        {
            lock (_gate)
            {
                return [.. _injected];
            }
        }
    }

    /// <summary>Injected faults counted by kind, for reports.</summary>
    public IReadOnlyDictionary<FaultKind, int> CountsByKind
    {
        get
        {
            lock (_gate)
            {
                return _injected.GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Count());
            }
        }
    }

    public void ResetInjected()
    {
        lock (_gate)
        {
            _injected.Clear();
        }
    }

    /// <summary>The rule that fires for this request, if any (and records it as injected).</summary>
    public FaultRule? Match(string method, RequestContext request)
    {
        lock (_gate)
        {
            foreach (var state in _rules)
            {
                var rule = state.Rule;
                if (!InScope(rule.Scope, request) || (rule.Regex is { } regex && !regex.IsMatch(request.RawTarget)))
                {
                    continue;
                }

                if (rule.Count is { } count)
                {
                    if (state.Fired >= count)
                    {
                        continue;
                    }
                }
                else if (rule.Probability < 1.0 && !_random.Chance(rule.Probability))
                {
                    continue;
                }

                state.Fired++;
                _injected.Add(new InjectedFault(time.GetUtcNow(), rule.Kind, method, request.RawTarget));
                return rule;
            }

            return null;
        }
    }

    private static bool InScope(FaultScope scope, RequestContext request) => scope switch
    {
        FaultScope.Any => request.Kind is not (RequestKind.Admin or RequestKind.Other),
        FaultScope.Metadata => request.Kind == RequestKind.Metadata,
        FaultScope.Initial => request.Kind == RequestKind.Initial,
        FaultScope.Delta => request.Kind == RequestKind.Delta,
        FaultScope.Query => request.Kind == RequestKind.Query,
        FaultScope.NextLink => request.IsNextLink,
        _ => false,
    };

    private sealed class RuleState(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;

        public int Fired { get; set; }
    }
}
