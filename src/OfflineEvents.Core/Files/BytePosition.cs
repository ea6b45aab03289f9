namespace OfflineEvents.Core.Files
{
    /// <summary>A byte position in a file, 1-based line and column (column counts bytes).</summary>
    public readonly struct BytePosition
    {
        public BytePosition(long line, long column, byte value)
        {
            Line = line;
            Column = column;
            Value = value;
        }

        public long Line { get; }
        public long Column { get; }
        public byte Value { get; }
    }
}
