import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic'] });
const p = await b.newPage({ viewport: { width: 1920, height: 1080 } });
await p.goto('http://127.0.0.1:18481/'); await p.waitForTimeout(3000);
const p2 = await b.newPage({ viewport: { width: 1920, height: 1080 } });
const cdp = await p2.context().newCDPSession(p2);
await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
await p2.goto('http://127.0.0.1:18481/');
await p2.waitForTimeout(1500);
const { profile } = await cdp.send('Profiler.stop');
const whep = await p2.evaluate(() => performance.getEntriesByType('resource').filter(e=>e.name.includes('whep')).map(e=>e.startTime|0));
console.log('whep at', whep);
const self = new Map(); const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map(n=>[n.id,n]));
for (let i=0;i<profile.samples.length;i++){ const n=byId.get(profile.samples[i]); const k=`${n.callFrame.functionName||'(anon)'} ${n.callFrame.url.replace(/.*\//,'')}:${n.callFrame.lineNumber}`; self.set(k,(self.get(k)??0)+(dt[i+1]??0)); }
const tot=[...self.values()].reduce((a,b)=>a+b,0);
for (const [k,v] of [...self.entries()].sort((a,b)=>b[1]-a[1]).slice(0,30)) console.log((v/1000).toFixed(1).padStart(7),'ms',k);
await b.close();
