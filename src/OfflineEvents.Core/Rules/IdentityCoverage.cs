namespace OfflineEvents.Core.Rules
{
    /// <summary>
    /// How many rows (Test-OfflineEventFile) or events (Send-OfflineEvent) carry a valid email, a valid phone, both or
    /// neither: the match potential an admin sees before the first send.
    /// </summary>
    public sealed class IdentityCoverage
    {
        /// <summary>With a valid email (with or without a phone).</summary>
        public long Email { get; private set; }

        /// <summary>With a valid phone (with or without an email).</summary>
        public long Phone { get; private set; }

        public long Both { get; private set; }

        /// <summary>With neither (unidentified, or every identifier invalid).</summary>
        public long Neither { get; private set; }

        internal void Add(bool email, bool phone)
        {
            if (email) Email++;
            if (phone) Phone++;
            if (email && phone) Both++;
            if (!email && !phone) Neither++;
        }

        internal void Add(IdentityCoverage other)
        {
            Email += other.Email;
            Phone += other.Phone;
            Both += other.Both;
            Neither += other.Neither;
        }

        internal IdentityCoverage Copy()
        {
            var copy = new IdentityCoverage();
            copy.Add(this);
            return copy;
        }

        public override string ToString() => $"email {Email:N0}, phone {Phone:N0}, both {Both:N0}, neither {Neither:N0}";
    }
}
