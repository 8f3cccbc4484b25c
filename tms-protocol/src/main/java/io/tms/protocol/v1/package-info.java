/**
 * Version 1 of the wire records. Records ignore unknown fields so that a newer peer may add fields
 * without breaking an older one; removing or renaming a field needs a new version.
 */
package io.tms.protocol.v1;
