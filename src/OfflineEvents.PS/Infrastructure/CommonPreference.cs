using System;
using System.Management.Automation;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>What a common parameter says for this call: its bound value, else its preference variable.</summary>
    internal static class CommonPreference
    {
        /// <summary>Whether -WhatIf (or $WhatIfPreference) is in effect.</summary>
        public static bool WhatIf(PSCmdlet cmdlet)
        {
            object? value = Effective(cmdlet, "WhatIf", "WhatIfPreference");
            return value is SwitchParameter s ? s.IsPresent : value != null && LanguagePrimitives.IsTrue(value);
        }

        /// <summary>Whether -ErrorAction (or $ErrorActionPreference) is Ignore: error records reach nothing.</summary>
        public static bool ErrorsIgnored(PSCmdlet cmdlet)
        {
            object? value = Effective(cmdlet, "ErrorAction", "ErrorActionPreference");
            return value is ActionPreference preference ? preference == ActionPreference.Ignore
                : string.Equals(value?.ToString(), nameof(ActionPreference.Ignore), StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>Whether -WarningAction (or $WarningPreference) is SilentlyContinue or Ignore.</summary>
        public static bool WarningsSilenced(PSCmdlet cmdlet)
        {
            object? value = Effective(cmdlet, "WarningAction", "WarningPreference");
            string text = value?.ToString() ?? string.Empty;
            return string.Equals(text, nameof(ActionPreference.SilentlyContinue), StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, nameof(ActionPreference.Ignore), StringComparison.OrdinalIgnoreCase);
        }

        private static object? Effective(PSCmdlet cmdlet, string parameter, string variable)
        {
            object? value = cmdlet.MyInvocation.BoundParameters.TryGetValue(parameter, out object? bound)
                ? bound
                : cmdlet.SessionState.PSVariable.GetValue(variable);
            return value is PSObject ps ? ps.BaseObject : value;
        }
    }
}
