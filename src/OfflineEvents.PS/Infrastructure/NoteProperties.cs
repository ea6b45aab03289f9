using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Reflection;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// Reads a PSCustomObject's note properties in order. PSObject.Properties walks every adapter and costs
    /// ~28 µs for a 12-column Import-Csv row (measured with pwsh 7.6), more than Import-Csv takes to make the
    /// row; the object's own member collection gives the same properties for ~2 µs. That collection is not
    /// public (PSObject.InstanceMembers, present since PowerShell 2), so it is reached through a compiled
    /// accessor, with PSObject.Properties as the fallback wherever it is missing.
    /// </summary>
    internal static class NoteProperties
    {
        private static readonly Func<PSObject, IEnumerable>? s_instanceMembers = CreateAccessor();

        /// <summary>Whether the fast route is in use (tests and -Debug report it).</summary>
        public static bool IsFast => s_instanceMembers != null;

        private static Func<PSObject, IEnumerable>? CreateAccessor()
        {
            try
            {
                MethodInfo? getter = typeof(PSObject).GetProperty("InstanceMembers", BindingFlags.NonPublic | BindingFlags.Instance)?.GetGetMethod(nonPublic: true);
                if (getter == null || !typeof(IEnumerable).IsAssignableFrom(getter.ReturnType)) return null;
                var self = Expression.Parameter(typeof(PSObject), "o");
                var body = Expression.Convert(Expression.Call(self, getter), typeof(IEnumerable));
                return Expression.Lambda<Func<PSObject, IEnumerable>>(body, self).Compile();
            }
            catch (Exception)
            {
                return null;
            }
        }

        /// <summary>Fills <paramref name="into"/> with the object's note properties, in order.</summary>
        public static void Collect(PSObject obj, List<PSNoteProperty> into)
        {
            into.Clear();
            if (s_instanceMembers != null && obj.BaseObject is PSCustomObject)
            {
                foreach (object member in s_instanceMembers(obj))
                {
                    if (member is PSNoteProperty note) into.Add(note);
                }
                return;
            }
            foreach (PSPropertyInfo property in obj.Properties)
            {
                if (property is PSNoteProperty note) into.Add(note);
            }
        }

        /// <summary>
        /// Reads any object as a row of names and values: a PSCustomObject's note properties (fast route), a
        /// hashtable's keys, or another object's properties.
        /// </summary>
        public static void ReadRow(PSObject obj, List<PSNoteProperty> scratch, List<string> names, List<object?> values)
        {
            names.Clear();
            values.Clear();
            if (obj.BaseObject is PSCustomObject)
            {
                Collect(obj, scratch);
                foreach (var note in scratch)
                {
                    names.Add(note.Name);
                    values.Add(note.Value);
                }
                return;
            }
            if (obj.BaseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    names.Add(entry.Key?.ToString() ?? string.Empty);
                    values.Add(entry.Value);
                }
                return;
            }
            foreach (PSPropertyInfo property in obj.Properties)
            {
                names.Add(property.Name);
                values.Add(ValueOrNull(property));
            }
        }

        /// <summary>A PSCustomObject with the same properties, in the same order (hashtable keys become properties).</summary>
        public static PSObject CopyToCustomObject(PSObject obj)
        {
            var copy = new PSObject();
            if (obj.BaseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    copy.Properties.Add(new PSNoteProperty(entry.Key?.ToString() ?? string.Empty, entry.Value));
                }
                return copy;
            }
            foreach (PSPropertyInfo property in obj.Properties)
            {
                copy.Properties.Add(new PSNoteProperty(property.Name, ValueOrNull(property)));
            }
            return copy;
        }

        /// <summary>A property's value, or null when its getter throws (a script property, a .NET getter that fails).</summary>
        private static object? ValueOrNull(PSPropertyInfo property)
        {
            try
            {
                return property.Value;
            }
            catch (GetValueException)
            {
                return null;
            }
        }
    }
}
