using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>Reads objects' properties in order, through PowerShell's public PSObject.Properties.</summary>
    internal static class NoteProperties
    {
        /// <summary>Fills <paramref name="into"/> with the object's note properties, in order.</summary>
        public static void Collect(PSObject obj, List<PSNoteProperty> into)
        {
            into.Clear();
            foreach (PSPropertyInfo property in obj.Properties)
            {
                if (property is PSNoteProperty note) into.Add(note);
            }
        }

        /// <summary>
        /// Reads any object as a row of names and values: a PSCustomObject's note properties, a
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
