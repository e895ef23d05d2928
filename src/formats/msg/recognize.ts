/** Whether content is an Outlook .msg, without loading the .msg reader (msgreader and the MIME composer load on first use). */

/** The OLE compound file signature. */
const CFB_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** Names of the property streams of a message, as they appear (UTF-16LE) in the CFB directory. */
const MSG_STREAM_NAMES = ['__substg1.0_', '__properties_version1.0'].map((name) => Buffer.from(name, 'utf16le'));

/**
 * Whether the head is a compound file that is (or may be) an Outlook message. The directory
 * usually sits in the first sectors; when it lies beyond the head, reading decides.
 */
export function looksLikeMsg(head: Buffer): boolean {
  if (head.length < 512 || !head.subarray(0, 8).equals(CFB_SIGNATURE)) return false;
  if (MSG_STREAM_NAMES.some((name) => head.includes(name))) return true;
  const sectorSize = 1 << head.readUInt16LE(0x1e);
  const directoryOffset = (head.readUInt32LE(0x30) + 1) * sectorSize;
  return directoryOffset + sectorSize > head.length;
}
