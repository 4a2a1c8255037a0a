# -*- coding: utf-8 -*-
# Copyright (c) 2026, rackops.apc contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Firmware images for APC management cards and Rack PDUs: what a file is (from its name
and its header), whether it fits the unit (its model family), and what has to be sent.

A card runs three modules: the boot monitor (``bootmon``), the operating system (``aos``)
and an application (``rpdu2g`` on Rack PDU 2G, ``sumx`` on Smart-UPS cards...). APC names
the files ``apc_hw<HW>_<module>_<version digits>.bin`` (the captures show
``apc_hw05_aos_696.bin``, ``apc_hw05_sumx_696.bin``, ``apc_hw05_bootmon_109.bin`` for an
AP9630): ``HW`` is the card's hardware generation.

The header layout of APC's images is not documented in the references. The collection
reads the layout the simulator uses (a 128-byte block ``APCFW1 hw=.. module=.. version=..
size=.. crc32=..``, see tests/apcsim/README.md); with ``verify_header: false`` a file is
judged by its name alone (for images whose header the collection cannot read).
"""

from __future__ import annotations

import re
import zlib

from ansible_collections.rackops.apc.plugins.module_utils.device import SettingsError

MAX_IMAGE_BYTES = 16 * 1024 * 1024      # NMC2 images are about 3 MB
HEADER_SIZE = 128
MAGIC = b'APCFW1'
NAME_RE = re.compile(r'^apc_hw(?P<hw>\d{2})_(?P<module>[a-z0-9]+)_(?P<digits>\d+)\.bin$', re.I)
ORDER = ('bootmon', 'aos', 'app')

# Model family (models.FAMILIES) -> hardware generation in the file names. hw05 is from the
# captures (AP9630 NMC2); the Rack PDU 2G shares the NMC2 platform (the example
# apc_hw05_rpdu2g_xxx.bin). nmc3 (hw21), nmc1 and the first-generation PDUs (hw02) are guesses.
FAMILY_HW = {'nmc2': '05', 'rpdu2g': '05', 'nmc3': '21', 'nmc1': '02', 'rpdu_menu': '02'}
# The application a family runs when the console does not name it (menu consoles).
FAMILY_APP = {'rpdu2g': 'rpdu2g', 'rpdu_menu': 'rpdu', 'nmc1': 'sumx'}


def digits(version):
    return ''.join(ch for ch in str(version or '') if ch.isdigit())


def same_version(running, target):
    """v6.9.6 == 6.9.6 == 696 (the file names drop the dots)."""
    return bool(digits(running)) and digits(running) == digits(target)


class Image:
    """One firmware file, checked on its own (no device needed)."""

    def __init__(self, path, data, verify_header=True):
        self.path = path
        self.name = path.replace('\\', '/').rsplit('/', 1)[-1]
        self.data = data
        match = NAME_RE.match(self.name)
        if not match:
            raise SettingsError('%s is not an APC firmware file name (apc_hw<NN>_<module>_<version>.bin, '
                                'for example apc_hw05_aos_696.bin)' % self.name)
        self.hw = match.group('hw')
        self.module_name = match.group('module').lower()
        self.key = self.module_name if self.module_name in ('bootmon', 'aos') else 'app'
        self.version = None
        self.name_digits = match.group('digits')
        self.header = None
        if verify_header:
            self.header = parse_header(data, self.name)
            for field, mine in (('hw', self.hw), ('module', self.module_name)):
                if self.header[field].lower() != mine:
                    raise SettingsError('%s: its header says %s %s, its name %s; the file is '
                                        'mislabelled or damaged' % (self.name, field,
                                                                    self.header[field], mine))
            if digits(self.header['version']) != self.name_digits:
                raise SettingsError('%s: its header says version %s, its name %s' % (
                    self.name, self.header['version'], self.name_digits))
            self.version = self.header['version']
        else:
            self.version = 'v' + '.'.join(self.name_digits) if len(self.name_digits) <= 4 else self.name_digits

    def describe(self):
        return '%s %s (%s, %d bytes)' % (self.module_name, self.version, self.name, len(self.data))


def parse_header(data, name='the file'):
    """The header's fields; raises SettingsError naming what is wrong."""
    if len(data) < HEADER_SIZE or not data.startswith(MAGIC):
        raise SettingsError('%s has no firmware header the collection can read (it expects the '
                            'APCFW1 layout described in the module documentation); set '
                            'verify_header: false to judge the file by its name alone' % name)
    text = data[len(MAGIC):HEADER_SIZE].rstrip(b'\0').decode('ascii', 'replace')
    fields = dict(part.split('=', 1) for part in text.split() if '=' in part)
    missing = [k for k in ('hw', 'module', 'version', 'size', 'crc32') if k not in fields]
    if missing:
        raise SettingsError('%s: the firmware header lacks %s' % (name, ', '.join(missing)))
    payload = data[HEADER_SIZE:]
    try:
        size = int(fields['size'])
    except ValueError:
        raise SettingsError('%s: the firmware header gives no valid size' % name)
    if size != len(payload):
        raise SettingsError('%s is truncated or padded: its header says %d bytes of firmware, the '
                            'file holds %d' % (name, size, len(payload)))
    if '%08x' % (zlib.crc32(payload) & 0xFFFFFFFF) != fields['crc32'].lower():
        raise SettingsError('%s is damaged: the CRC-32 of its contents does not match its header' % name)
    return fields


def check_set(images):
    """At most one image per module; returned in the order they must be sent."""
    seen = {}
    for image in images:
        if image.key in seen:
            raise SettingsError('two images for the %s module: %s and %s' % (
                image.key, seen[image.key].name, image.name))
        seen[image.key] = image
    hws = sorted(set(i.hw for i in images))
    if len(hws) > 1:
        raise SettingsError('the images are for different hardware (%s): %s' % (
            ', '.join('hw' + h for h in hws), ', '.join(i.name for i in images)))
    return [seen[k] for k in ORDER if k in seen]


def check_fit(images, family, running_app):
    """Refuse images that do not fit the unit (family from the model table, application as
    the card names it). Raises SettingsError."""
    want_hw = FAMILY_HW.get(family)
    if want_hw is None:
        raise SettingsError('firmware files cannot be checked against a %s unit (no known '
                            'hardware generation); nothing was sent' % (family or 'unknown'))
    app = (running_app or FAMILY_APP.get(family) or '').lower()
    for image in images:
        if image.hw != want_hw:
            raise SettingsError('%s is for hardware hw%s; this unit (%s) takes hw%s files. Nothing '
                                'was sent' % (image.name, image.hw, family, want_hw))
        if image.key == 'app' and app and image.module_name != app:
            raise SettingsError('%s holds the %s application; this unit runs %s. Nothing was '
                                'sent' % (image.name, image.module_name, app))


def running_versions(info):
    fw = (info or {}).get('firmware') or {}
    return {'bootmon': fw.get('bootmon'), 'aos': fw.get('aos'), 'app': fw.get('app')}


def plan(images, running, force=False):
    """[{module, file, running, target, send}] in the order to send."""
    out = []
    for image in images:
        have = running.get(image.key)
        out.append({'module': image.key, 'name': image.module_name, 'file': image.name,
                    'running': have, 'target': image.version, 'bytes': len(image.data),
                    'send': bool(force or not same_version(have, image.version))})
    return out
