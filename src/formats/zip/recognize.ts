/** Whether content is a zip archive, without loading the zip reader and writer (they load on first use). */

const LOCAL_FILE_HEADER = 0x04034b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;

export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && [LOCAL_FILE_HEADER, END_OF_CENTRAL_DIRECTORY].includes(head.readUInt32LE(0));
}
