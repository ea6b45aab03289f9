namespace OfflineEvents.Core.Pii
{
    /// <summary>One value <see cref="PiiRowHasher{TRow, TCell}"/> normalized and hashed, handed back in input order.</summary>
    /// <typeparam name="TCell">What the host gave with the value (the property to write the hash to).</typeparam>
    public readonly struct HashedCell<TCell>
    {
        internal HashedCell(TCell target, PiiColumn column, long row, string? text, string? region, PiiResult result = default, bool firstMixed = false)
        {
            Target = target;
            Column = column;
            Row = row;
            Text = text;
            Region = region;
            Result = result;
            FirstMixed = firstMixed;
        }

        public TCell Target { get; }

        public PiiColumn Column { get; }

        /// <summary>The row number the host gave.</summary>
        public long Row { get; }

        /// <summary>The hash (<see cref="PiiResult.Value"/>), or why there is none.</summary>
        public PiiResult Result { get; }

        /// <summary>True for the value with which the column first mixed hashes and plain values (warn once).</summary>
        public bool FirstMixed { get; }

        // Inputs, read by the worker; never handed out (plaintext).
        internal string? Text { get; }
        internal string? Region { get; }

        internal HashedCell<TCell> With(PiiResult result) => new HashedCell<TCell>(Target, Column, Row, Text, Region, result);

        internal HashedCell<TCell> Mixed(bool firstMixed) => new HashedCell<TCell>(Target, Column, Row, null, null, Result, firstMixed);
    }
}
