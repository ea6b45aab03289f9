using System;
using System.Collections.Generic;
using System.Text;

namespace OfflineEvents.Core.Pii
{
    /// <summary>
    /// A libphonenumber metadata pattern compiled to a deterministic automaton over the digits 0-9. The patterns
    /// use a small regex subset (digits, [0-9] classes with ranges, (?:...) groups, |, ?, {n} and {n,m}); an
    /// interpreted Regex walked their long alternations for every number (a third of an export's worker time),
    /// where the automaton reads each digit once. Immutable, so one instance serves every thread. Kept for
    /// <see cref="PhoneValidity"/>'s measured gain (its remarks give the figures).
    /// </summary>
    internal sealed class DigitPattern
    {
        /// <summary>Patterns whose automaton would be larger than this do not compile (their calling code is left to libphonenumber).</summary>
        internal const int MaxStates = 20_000;

        private const int Dead = -1;
        private readonly int[] _next;          // state * 10 + digit -> state, or Dead
        private readonly bool[] _accepting;

        private DigitPattern(int[] next, bool[] accepting)
        {
            _next = next;
            _accepting = accepting;
        }

        /// <summary>States of the automaton (for tests and diagnostics).</summary>
        internal int StateCount => _accepting.Length;

        /// <summary>Whether the whole text matches, as Regex @"\A(?:pattern)\z" would.</summary>
        public bool Matches(string digits)
        {
            int state = 0;
            foreach (char c in digits)
            {
                uint d = (uint)(c - '0');
                if (d > 9) return false;
                state = _next[state * 10 + (int)d];
                if (state == Dead) return false;
            }
            return _accepting[state];
        }

        /// <summary>Whether the text starts with a match, as Regex @"\A(?:pattern)" would.</summary>
        public bool MatchesPrefix(string digits)
        {
            int state = 0;
            if (_accepting[state]) return true;
            foreach (char c in digits)
            {
                uint d = (uint)(c - '0');
                if (d > 9) return false;
                state = _next[state * 10 + (int)d];
                if (state == Dead) return false;
                if (_accepting[state]) return true;
            }
            return false;
        }

        /// <summary>The automaton of a pattern, or null when it uses syntax outside the subset or grows past MaxStates.</summary>
        public static DigitPattern? TryCompile(string pattern)
        {
            if (pattern == null) return null;
            var nfa = new Nfa();
            int end;
            try
            {
                var parser = new Parser(pattern, nfa);
                var (start, finish) = parser.ParseWhole();
                end = finish;
                if (start != 0) throw new FormatException("the start state must be state 0");
            }
            catch (FormatException)
            {
                return null;
            }
            return Determinize(nfa, end);
        }

        /// <summary>Subset construction: each automaton state is the epsilon-closed set of NFA states it stands for.</summary>
        private static DigitPattern? Determinize(Nfa nfa, int accept)
        {
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            var sets = new List<int[]>();
            var next = new List<int>();
            var accepting = new List<bool>();
            var mark = new int[nfa.Count];
            int generation = 0;
            var stack = new Stack<int>();
            var members = new List<int>();

            int StateOf(List<int> seeds)
            {
                generation++;
                members.Clear();
                foreach (int s in seeds)
                {
                    if (mark[s] == generation) continue;
                    mark[s] = generation;
                    stack.Push(s);
                }
                while (stack.Count > 0)
                {
                    int s = stack.Pop();
                    members.Add(s);
                    foreach (int t in nfa.Epsilon(s))
                    {
                        if (mark[t] == generation) continue;
                        mark[t] = generation;
                        stack.Push(t);
                    }
                }
                // Only states with a digit edge, and the accepting one, tell two sets apart.
                members.RemoveAll(s => nfa.Mask(s) == 0 && s != accept);
                if (members.Count == 0) return Dead;
                members.Sort();
                var key = new StringBuilder(members.Count * 4);
                foreach (int s in members) key.Append(s).Append(',');
                string k = key.ToString();
                if (ids.TryGetValue(k, out int id)) return id;
                id = sets.Count;
                if (id >= MaxStates) throw new OverflowException();
                ids[k] = id;
                sets.Add(members.ToArray());
                accepting.Add(Array.IndexOf(sets[id], accept) >= 0);
                for (int d = 0; d < 10; d++) next.Add(Dead);
                return id;
            }

            try
            {
                int first = StateOf(new List<int> { 0 });
                if (first == Dead) return new DigitPattern(new[] { Dead, Dead, Dead, Dead, Dead, Dead, Dead, Dead, Dead, Dead }, new[] { false });
                var seeds = new List<int>();
                for (int state = 0; state < sets.Count; state++)
                {
                    for (int d = 0; d < 10; d++)
                    {
                        seeds.Clear();
                        foreach (int s in sets[state])
                        {
                            if ((nfa.Mask(s) & (1 << d)) != 0) seeds.Add(nfa.Target(s));
                        }
                        if (seeds.Count > 0) next[state * 10 + d] = StateOf(seeds);
                    }
                }
            }
            catch (OverflowException)
            {
                return null;
            }
            return new DigitPattern(next.ToArray(), accepting.ToArray());
        }

        /// <summary>
        /// Thompson's construction: each state has either epsilon edges or one edge on a set of digits (a 10-bit
        /// mask) to one target.
        /// </summary>
        private sealed class Nfa
        {
            private readonly List<int> _mask = new List<int>();
            private readonly List<int> _target = new List<int>();
            private readonly List<List<int>?> _epsilon = new List<List<int>?>();
            private static readonly List<int> None = new List<int>();

            public int Count => _mask.Count;

            public int Add()
            {
                _mask.Add(0);
                _target.Add(-1);
                _epsilon.Add(null);
                if (_mask.Count > MaxStates * 8) throw new FormatException("pattern too large");
                return _mask.Count - 1;
            }

            public void Digits(int from, int mask, int to)
            {
                _mask[from] = mask;
                _target[from] = to;
            }

            public void Empty(int from, int to) => (_epsilon[from] ??= new List<int>()).Add(to);

            public int Mask(int s) => _mask[s];

            public int Target(int s) => _target[s];

            public List<int> Epsilon(int s) => _epsilon[s] ?? None;
        }

        /// <summary>
        /// alternation := sequence ('|' sequence)*; sequence := (atom quantifier?)*; atom := digit | class | (?: alternation );
        /// quantifier := ? | {n} | {n,m}. A quantified atom is parsed again for each copy, so copies share no states.
        /// </summary>
        private sealed class Parser
        {
            private readonly string _text;
            private readonly Nfa _nfa;
            private int _at;

            public Parser(string text, Nfa nfa)
            {
                _text = text;
                _nfa = nfa;
            }

            public (int Start, int End) ParseWhole()
            {
                var whole = Alternation();
                if (_at != _text.Length) throw Error("unexpected '" + _text[_at] + "'");
                return whole;
            }

            private (int Start, int End) Alternation()
            {
                int start = _nfa.Add();
                int end = _nfa.Add();
                while (true)
                {
                    var branch = Sequence();
                    _nfa.Empty(start, branch.Start);
                    _nfa.Empty(branch.End, end);
                    if (_at < _text.Length && _text[_at] == '|')
                    {
                        _at++;
                        continue;
                    }
                    return (start, end);
                }
            }

            private (int Start, int End) Sequence()
            {
                int start = _nfa.Add();
                int end = start;
                while (_at < _text.Length && _text[_at] != '|' && _text[_at] != ')')
                {
                    int atomAt = _at;
                    var atom = Atom();
                    int afterAtom = _at;
                    var (min, max) = Quantifier();
                    if (max == 0) throw Error("a {0} quantifier");
                    int afterQuantifier = _at;
                    for (int copy = 0; copy < max; copy++)
                    {
                        var piece = atom;
                        if (copy > 0)
                        {
                            _at = atomAt;
                            piece = Atom();
                            _at = afterAtom;
                        }
                        _nfa.Empty(end, piece.Start);
                        if (copy >= min) _nfa.Empty(piece.Start, piece.End); // an optional copy may be skipped
                        end = piece.End;
                    }
                    _at = afterQuantifier;
                }
                return (start, end);
            }

            private (int Start, int End) Atom()
            {
                if (_at >= _text.Length) throw Error("unexpected end");
                char c = _text[_at];
                if (c >= '0' && c <= '9')
                {
                    _at++;
                    return Edge(1 << (c - '0'));
                }
                if (c == '[')
                {
                    _at++;
                    int mask = 0;
                    while (_at < _text.Length && _text[_at] != ']')
                    {
                        int low = DigitAt(_at++);
                        int high = low;
                        if (_at + 1 < _text.Length && _text[_at] == '-' && _text[_at + 1] != ']')
                        {
                            high = DigitAt(_at + 1);
                            _at += 2;
                        }
                        if (high < low) throw Error("a reversed range");
                        for (int d = low; d <= high; d++) mask |= 1 << d;
                    }
                    if (_at >= _text.Length || mask == 0) throw Error("an unclosed or empty class");
                    _at++;
                    return Edge(mask);
                }
                if (c == '\\' && _at + 1 < _text.Length && _text[_at + 1] == 'd')
                {
                    _at += 2;
                    return Edge(0x3FF);
                }
                if (c == '(' && string.CompareOrdinal(_text, _at, "(?:", 0, 3) == 0)
                {
                    _at += 3;
                    var group = Alternation();
                    if (_at >= _text.Length || _text[_at] != ')') throw Error("an unclosed group");
                    _at++;
                    return group;
                }
                throw Error("'" + c + "'");
            }

            private (int Min, int Max) Quantifier()
            {
                if (_at >= _text.Length) return (1, 1);
                if (_text[_at] == '?')
                {
                    _at++;
                    return (0, 1);
                }
                if (_text[_at] != '{') return (1, 1);
                _at++;
                int min = Number();
                int max = min;
                if (_at < _text.Length && _text[_at] == ',')
                {
                    _at++;
                    max = Number();
                }
                if (_at >= _text.Length || _text[_at] != '}' || max < min || max > 20) throw Error("a quantifier");
                _at++;
                return (min, max);
            }

            private int Number()
            {
                int start = _at, value = 0;
                while (_at < _text.Length && _text[_at] >= '0' && _text[_at] <= '9' && _at - start < 3) value = value * 10 + (_text[_at++] - '0');
                if (_at == start) throw Error("a quantifier without a number");
                return value;
            }

            private int DigitAt(int i)
            {
                if (i >= _text.Length || _text[i] < '0' || _text[i] > '9') throw Error("a class member that is not a digit");
                return _text[i] - '0';
            }

            private (int Start, int End) Edge(int mask)
            {
                int from = _nfa.Add();
                int to = _nfa.Add();
                _nfa.Digits(from, mask, to);
                return (from, to);
            }

            private FormatException Error(string what) => new FormatException($"{what} at {_at} in the pattern");
        }
    }
}
