/** The part of nodemailer's MailComposer (installed with mailparser) that the .eml writer uses. */
declare module 'nodemailer/lib/mail-composer/index.js' {
  export interface Address {
    name: string;
    address: string;
  }
  export interface Attachment {
    filename: string;
    content: Buffer;
    contentType?: string;
    cid?: string;
    contentDisposition?: 'attachment' | 'inline';
  }
  export interface MailOptions {
    from?: Address | string;
    to?: (Address | string)[];
    cc?: (Address | string)[];
    bcc?: (Address | string)[];
    subject?: string;
    date?: Date;
    messageId?: string;
    text?: string;
    html?: string;
    attachments?: Attachment[];
    baseBoundary?: string;
    disableFileAccess?: boolean;
    disableUrlAccess?: boolean;
  }
  export interface MimeNode {
    keepBcc: boolean;
    build(callback: (err: Error | null, message: Buffer) => void): void;
  }
  export default class MailComposer {
    constructor(mail: MailOptions);
    compile(): MimeNode;
  }
}
