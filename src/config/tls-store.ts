/**
 * `storeFile` in `keyManager`/`trustManager`: Hyperfoil reads Java key stores. Node reads PKCS#12 natively (a
 * client key and its certificate chain, as `pfx`), so a PKCS#12 key store works; a JKS/JCEKS file cannot be read
 * here and is refused where it is named, with the `keytool` command that converts it. A PKCS#12 trust store (only
 * certificates, no key) cannot be loaded by Node either, so it is refused in favour of `certFile` (PEM).
 */
import { createSecureContext } from 'node:tls';

const JKS_MAGIC = 0xfeedfeed;
const JCEKS_MAGIC = 0xcececece;

/** Why this key store cannot be used, or undefined when Node can load it as PKCS#12 with `password`. */
export function storeFileProblem(section: 'keyManager' | 'trustManager', file: string, content: Buffer, password: string | undefined): string | undefined {
  const magic = content.length >= 4 ? content.readUInt32BE(0) : 0;
  if (magic === JKS_MAGIC || magic === JCEKS_MAGIC) {
    return `${file} is a Java key store (${magic === JKS_MAGIC ? 'JKS' : 'JCEKS'}), which cannot be read here: convert it to PKCS#12 with ` +
      `\`keytool -importkeystore -srckeystore ${file} -destkeystore store.p12 -deststoretype PKCS12\`` +
      (section === 'trustManager' ? ' and then to PEM (`openssl pkcs12 -in store.p12 -nokeys -out ca.pem`, used as `certFile`)' : ' and name the .p12 file here');
  }
  if (content[0] !== 0x30) return `${file} is not a PKCS#12 file (nor a JKS key store)`;
  if (section === 'trustManager') {
    return `${file}: a PKCS#12 trust store cannot be loaded here (Node loads only stores holding a private key); ` +
      `export its certificates to PEM (\`openssl pkcs12 -in ${file} -nokeys -out ca.pem\`) and use \`certFile: ca.pem\``;
  }
  try {
    createSecureContext({ pfx: content, ...(password !== undefined ? { passphrase: password } : {}) });
    return undefined;
  } catch (error) {
    const reason = (error as Error).message;
    return `${file} cannot be loaded as PKCS#12: ${/mac verify/i.test(reason) ? 'wrong `password`' : reason}`;
  }
}
